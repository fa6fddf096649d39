import Testing
@testable import Handoff
