import Testing
@testable import Recalibration
