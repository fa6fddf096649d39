import Testing
@testable import HandoffEngine
