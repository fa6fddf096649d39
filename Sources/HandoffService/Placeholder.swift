// HandoffService: filled in by issue 7; this file keeps the target buildable until then.
