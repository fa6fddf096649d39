import Testing
@testable import ClosedLoopAnalytics
