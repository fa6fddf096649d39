// HandoffEngine: filled in by issue 5's replay; this file keeps the target buildable until then.
