// ClosedLoopAnalytics: filled in by issue 6; this file keeps the target buildable until then.
