/// Decimal text for tick labels and coordinates, independent of locale and Foundation.
///
/// The same `Double` always gives the same text on every platform, which keeps SVG output byte-identical.
package enum ChartNumberFormat {
    /// `value` rounded half away from zero to `decimals` places, e.g. `fixed(0.25, decimals: 1)` is "0.3",
    /// `fixed(-0.0001, decimals: 2)` is "0.00" (no negative zero). Magnitudes too large to scale into a 64-bit
    /// integer fall back to Swift's shortest round-trip description.
    ///
    /// - Precondition: `value` is finite and `0 <= decimals <= 15`.
    package static func fixed(_ value: Double, decimals: Int) -> String {
        precondition(value.isFinite, "ChartNumberFormat.fixed needs a finite value")
        precondition((0...15).contains(decimals), "decimals must be in 0...15")
        let scale = powerOfTen(decimals)
        let scaled = (value * scale).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 9.0e15 else { return "\(value)" }
        let integer = Int64(scaled)
        let magnitude = integer.magnitude
        let divisor = UInt64(scale)
        let whole = magnitude / divisor
        var text = integer < 0 ? "-\(whole)" : "\(whole)"
        if decimals > 0 {
            let fraction = String(magnitude % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// `value` with about `digits` significant digits and no trailing zeros, for tooltips:
    /// `significant(0.123456, digits: 3)` is "0.123", `significant(1234.5, digits: 3)` is "1235" (whole numbers keep every digit).
    /// - Precondition: `value` is finite and `1 <= digits <= 15`.
    package static func significant(_ value: Double, digits: Int) -> String {
        precondition(value.isFinite, "ChartNumberFormat.significant needs a finite value")
        precondition((1...15).contains(digits), "digits must be in 1...15")
        var magnitude = abs(value), exponent = 0
        if magnitude > 0 {
            while magnitude >= 10 {
                magnitude /= 10
                exponent += 1
            }
            while magnitude < 1 {
                magnitude *= 10
                exponent -= 1
            }
        }
        var text = fixed(value, decimals: min(15, max(0, digits - 1 - exponent)))
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// A coordinate in SVG user units: two decimals with trailing zeros (and a bare ".") removed.
    static func coordinate(_ value: Double) -> String {
        var text = fixed(value, decimals: 2)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// 10^exponent, exact for |exponent| <= 22.
    static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 {
            for _ in 0..<exponent { result *= 10 }
        } else {
            for _ in 0..<(-exponent) { result *= 10 }
            result = 1 / result
        }
        return result
    }
}
