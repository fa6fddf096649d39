// HandoffStore: filled in by its issue; this file keeps the target buildable until then.
