import Testing
@testable import HandoffStore
