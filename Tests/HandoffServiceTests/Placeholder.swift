import Testing
@testable import HandoffService
