import Testing
import TestSupport
@testable import LabTraining

/// The training window recorded in the weight file: one pass must give what
/// `filter { !$0.isEmpty }.min()/.max()` gives.
@Suite struct TimeRangeTests {
    @Test func equalsMinAndMaxOfNonEmptyTimes() {
        var random = SplitMix64(seed: 21)
        let pool = ["2023-01-01T00:00:00Z", "2024-12-31T23:59:59Z", "", "2023-06-15T12:00:00Z", "é-2023", "e\u{301}-2023",
                    "2023-06-15T12:00:00Z", "Z", "0"]
        for count in [0, 1, 2, 7, 200] {
            let times = (0..<count).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
            let kept = times.filter { !$0.isEmpty }
            let (low, high) = CalibrationLab.timeRange(times)
            #expect(low == kept.min())
            #expect(high == kept.max())
        }
        #expect(CalibrationLab.timeRange(nil) == (nil, nil))
        #expect(CalibrationLab.timeRange(["", ""]) == (nil, nil))
    }
}
