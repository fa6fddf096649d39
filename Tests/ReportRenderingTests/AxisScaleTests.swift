import Testing

@testable import ReportRendering

@Suite struct AxisScaleTests {
    /// Hand-worked: span / 5 intervals, rounded up to 1, 2 or 5 × 10^k, ends widened to whole steps.
    @Test(arguments: [
        (0.0, 0.93, 0.0, 1.0, 0.2),  // 0.186 → 0.2
        (3.0, 97.0, 0.0, 100.0, 20.0),  // 18.8 → 20
        (-0.37, 0.52, -0.4, 0.6, 0.2),  // 0.178 → 0.2
        (0.0, 10.0, 0.0, 10.0, 2.0),  // 2 → 2 exactly, no extra interval
        (1200.0, 1450.0, 1200.0, 1450.0, 50.0),  // 50 → 50, both ends already whole steps
        (0.001, 0.0042, 0.001, 0.005, 0.001),  // 0.00064 → 0.001; 0.001 is a whole step
    ])
    func handComputedCases(min: Double, max: Double, lower: Double, upper: Double, step: Double) {
        let scale = AxisScale.nice(covering: min, max)
        #expect(scale.lower == lower)
        #expect(scale.upper == upper)
        #expect(scale.step == step)
        #expect(scale.ticks.first == lower)
        #expect(scale.ticks.last == upper)
    }

    @Test func ticksAreExactDecimals() {
        let scale = AxisScale.nice(covering: 0, 1, targetTickCount: 10)
        #expect(scale.ticks == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
        #expect(
            scale.ticks.map { ChartNumberFormat.fixed($0, decimals: scale.tickDecimals) }
                == ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"])
    }

    /// Properties over random ranges of every magnitude: 1-2-5 steps, ticks cover the data, equally spaced,
    /// and the number of intervals stays within [target / 2.5, target + 2].
    @Test func propertiesOverRandomRanges() {
        var random = LCG(seed: 42)
        for _ in 0..<5000 {
            let exponent = Double(Int(random.next() % 25) - 12)
            let a = (random.unit() * 2 - 1) * pow10(exponent)
            let b = a + random.unit() * pow10(exponent + Double(Int(random.next() % 3) - 1))
            let target = Int(random.next() % 9) + 2
            let scale = AxisScale.nice(covering: a, b, targetTickCount: target)
            #expect([1, 2, 5].contains(scale.stepMantissa))
            #expect(scale.lower <= a && scale.upper >= b, "\(a)...\(b) → \(scale)")
            let intervals = scale.ticks.count - 1
            if b > a {
                #expect(intervals <= target + 2, "\(a)...\(b) target \(target) → \(intervals)")
                #expect(Double(intervals) >= Double(target) / 2.5 - 1e-9, "\(a)...\(b) target \(target) → \(intervals)")
            }
            for (left, right) in zip(scale.ticks, scale.ticks.dropFirst()) {
                #expect(abs((right - left) - scale.step) <= 1e-9 * Swift.max(scale.step, abs(right)))
            }
        }
    }

    @Test func singleValueIsWidened() {
        let zero = AxisScale.nice(covering: 0, 0)
        #expect(zero.lower < 0 && zero.upper > 0)
        let five = AxisScale.nice(covering: 5, 5)
        #expect(five.lower <= 4.5 && five.upper >= 5.5 && five.lower < 5 && five.upper > 5)
    }

    @Test func fixedKeepsTheDomainAndTicksInside() {
        let scale = AxisScale.fixed(lower: 0.05, upper: 0.95)
        #expect(scale.lower == 0.05 && scale.upper == 0.95)
        #expect(scale.ticks == [0.2, 0.4, 0.6, 0.8])
        #expect(scale.position(of: 0.95, from: 10, to: 110) == 110)
        #expect(scale.position(of: 0.05, from: 10, to: 110) == 10)
    }

    @Test(arguments: [
        (0.25, 1, "0.3"), (-0.25, 1, "-0.3"), (-0.0001, 2, "0.00"), (1234.5678, 2, "1234.57"),
        (0.1 + 0.2, 2, "0.30"), (42, 0, "42"), (-7.05, 3, "-7.050"), (1e-7, 3, "0.000"),
    ])
    func fixedDecimals(value: Double, decimals: Int, expected: String) {
        #expect(ChartNumberFormat.fixed(value, decimals: decimals) == expected)
    }

    @Test(arguments: [(0.123456, 3, "0.123"), (1234.5, 3, "1235"), (-0.5, 4, "-0.5"), (0, 4, "0"), (2.0, 4, "2"), (0.000012345, 2, "0.000012")])
    func significantDigits(value: Double, digits: Int, expected: String) {
        #expect(ChartNumberFormat.significant(value, digits: digits) == expected)
    }

    @Test func coordinatesDropTrailingZeros() {
        #expect(ChartNumberFormat.coordinate(12.5) == "12.5")
        #expect(ChartNumberFormat.coordinate(12.0) == "12")
        #expect(ChartNumberFormat.coordinate(-0.001) == "0")
        #expect(ChartNumberFormat.coordinate(3.14159) == "3.14")
    }

    private func pow10(_ e: Double) -> Double {
        ChartNumberFormat.powerOfTen(Int(e))
    }
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants) for reproducible test inputs.
struct LCG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 11
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 42) }
}
