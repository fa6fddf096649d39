import BatonSupport

/// A linear axis domain with "nice" ticks: steps of 1, 2 or 5 times a power of ten.
///
/// ``nice(covering:_:targetTickCount:)`` widens the data range outward to whole steps, so the ticks
/// cover the data; ``fixed(lower:upper:targetTickCount:)`` keeps the caller's domain and places nice
/// ticks inside it (e.g. probabilities on exactly 0...1).
package struct AxisScale: Sendable, Equatable {
    /// Lower end of the domain (maps to the plot's left or bottom edge).
    package let lower: Double
    /// Upper end of the domain (maps to the plot's right or top edge).
    package let upper: Double
    /// The step's leading digit: 1, 2 or 5.
    package let stepMantissa: Int
    /// The step's power of ten: step = stepMantissa × 10^stepExponent.
    package let stepExponent: Int
    /// Tick values in increasing order, each an integer multiple of ``step``, all inside lower...upper.
    package let ticks: [Double]

    /// Distance between neighbouring ticks.
    package var step: Double {
        stepExponent >= 0
            ? Double(stepMantissa) * ChartNumberFormat.powerOfTen(stepExponent)
            : Double(stepMantissa) / ChartNumberFormat.powerOfTen(-stepExponent)
    }

    /// Decimal places that show every tick exactly (0 for steps of 1 or more).
    package var tickDecimals: Int { max(0, -stepExponent) }

    /// The smallest nice domain containing `minimum...maximum`, with about `targetTickCount` intervals.
    ///
    /// A single value (`minimum == maximum`, or a span under 1e-9 of the magnitude) is widened by 10 % of
    /// its magnitude (or by 1 at zero) first.
    /// - Precondition: both ends finite, `minimum <= maximum`, `targetTickCount >= 1`.
    package static func nice(covering minimum: Double, _ maximum: Double, targetTickCount: Int = 5) -> AxisScale {
        precondition(minimum.isFinite && maximum.isFinite && minimum <= maximum, "AxisScale.nice needs finite min <= max")
        precondition(targetTickCount >= 1, "targetTickCount must be at least 1")
        var low = minimum, high = maximum
        // A span below 1e-9 of the magnitude cannot be ticked in 64-bit indices; widen it like a single value.
        if high - low <= max(abs(low), abs(high)) * 1e-9 {
            let pad = low == 0 && high == 0 ? 1 : max(abs(low), abs(high)) * 0.1
            low -= pad
            high += pad
        }
        let (mantissa, exponent) = niceStep(span: high - low, intervals: targetTickCount)
        let first = snappedIndex(low, mantissa, exponent, rounding: .down)
        let last = snappedIndex(high, mantissa, exponent, rounding: .up)
        let lowerEnd = value(first, mantissa, exponent)
        let upperEnd = value(last, mantissa, exponent)
        return AxisScale(
            lower: lowerEnd, upper: upperEnd, stepMantissa: mantissa, stepExponent: exponent,
            ticks: (first...last).map { value($0, mantissa, exponent) })
    }

    /// Exactly `lower...upper`, with nice ticks inside it (about `targetTickCount` intervals).
    /// - Precondition: both ends finite, `lower < upper`, `targetTickCount >= 1`.
    package static func fixed(lower: Double, upper: Double, targetTickCount: Int = 5) -> AxisScale {
        precondition(lower.isFinite && upper.isFinite && lower < upper, "AxisScale.fixed needs finite lower < upper")
        precondition(targetTickCount >= 1, "targetTickCount must be at least 1")
        let (mantissa, exponent) = niceStep(span: upper - lower, intervals: targetTickCount)
        let first = snappedIndex(lower, mantissa, exponent, rounding: .up)
        let last = snappedIndex(upper, mantissa, exponent, rounding: .down)
        let ticks = first <= last ? (first...last).map { value($0, mantissa, exponent) } : []
        return AxisScale(lower: lower, upper: upper, stepMantissa: mantissa, stepExponent: exponent, ticks: ticks)
    }

    /// Maps `x` in the domain linearly onto `start...end` (screen units; `end` may be below `start`).
    package func position(of x: Double, from start: Double, to end: Double) -> Double {
        start + (x - lower) / (upper - lower) * (end - start)
    }

    /// The 1-2-5 step nearest above span / intervals.
    static func niceStep(span: Double, intervals: Int) -> (mantissa: Int, exponent: Int) {
        var raw = span / Double(intervals)
        guard raw.isFinite, raw > 0 else { return (1, 0) }
        var exponent = 0
        while raw >= 10 {
            raw /= 10
            exponent += 1
        }
        while raw < 1 {
            raw *= 10
            exponent -= 1
        }
        // raw is in [1, 10); a small slack keeps 2.0000000001 from jumping to 5.
        let slack = 1e-9
        if raw <= 1 + slack { return (1, exponent) }
        if raw <= 2 + slack { return (2, exponent) }
        if raw <= 5 + slack { return (5, exponent) }
        return (1, exponent + 1)
    }

    /// The index k of the tick k × step at or beyond `x` in the rounding direction; values within 1e-9
    /// steps of a tick snap onto it, so floating-point noise does not add an empty interval.
    static func snappedIndex(_ x: Double, _ mantissa: Int, _ exponent: Int, rounding: FloatingPointRoundingRule) -> Int {
        let step =
            exponent >= 0
            ? Double(mantissa) * ChartNumberFormat.powerOfTen(exponent)
            : Double(mantissa) / ChartNumberFormat.powerOfTen(-exponent)
        let ratio = x / step
        let nearest = ratio.rounded()
        let bound = 1 << 52  // far beyond any tick count; keeps the conversion total
        if abs(ratio - nearest) <= 1e-9 * max(1, abs(nearest)) { return nearest.clampedInt(in: -bound...bound) }
        return ratio.clampedInt(rounding, in: -bound...bound)
    }

    /// k × mantissa × 10^exponent, computed so that e.g. 3 × 0.1 is exactly 0.3.
    static func value(_ k: Int, _ mantissa: Int, _ exponent: Int) -> Double {
        let multiple = Double(k * mantissa)
        return exponent >= 0
            ? multiple * ChartNumberFormat.powerOfTen(exponent)
            : multiple / ChartNumberFormat.powerOfTen(-exponent)
    }
}
