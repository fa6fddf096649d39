import Foundation
import TestSupport
import Testing

@testable import LabTraining

/// The weight file's `created_at`, written without a time-zone database, must be what
/// `ISO8601DateFormatter` (internet date-time, UTC) writes for the same instant.
@Suite struct IsoTimestampTests {
    @Test func matchesISO8601DateFormatter() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var random = SplitMix64(seed: 11)
        // Leap days, century years (2000 is a leap year, 1900 and 2100 are not), the epoch and
        // the seconds either side of it, fractions either side of the
        // millisecond it rounds to first, then random instants from 1900 to 2400 with fractions.
        var instants: [Double] = [
            0, -1, 1, -0.5, -0.0004, -0.0006, 0.9996, 715_485_717.9994, 715_485_717.9995, 951_782_400, 951_868_800,
            4_107_456_000, -2_203_891_200, 1_765_000_000.999,
        ]
        for _ in 0..<5_000 { instants.append(Double.random(in: -2_208_988_800..<13_569_465_600, using: &random)) }
        for t in instants {
            let date = Date(timeIntervalSince1970: t)
            #expect(CalibrationLab.isoTimestamp(date) == formatter.string(from: date), "t = \(t)")
        }
    }
}
