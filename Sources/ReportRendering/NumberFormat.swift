import Foundation

/// How report text, rule text and CLI summaries write numbers: C locale, fixed digits, the way
/// `printf` rounds (the exact binary value, ties to even). Both notebooks (the recalibration
/// report and the hand-off reviews) use this one; chart coordinates and tick labels use
/// ``ChartNumberFormat`` instead, which needs no Foundation and is byte-identical everywhere.
package enum NumberFormat {
    /// `x` with `digits` decimals; non-finite values as Swift spells them (`inf`, `nan`).
    package static func fixed(_ x: Double, _ digits: Int = 3) -> String {
        guard x.isFinite else { return "\(x)" }
        return String(format: "%.\(digits)f", locale: nil, x)
    }

    /// `p < 0.0001` style p-values, else four decimals.
    package static func pValue(_ p: Double) -> String { p < 0.0001 ? "< 0.0001" : fixed(p, 4) }

    /// A share as a percentage, `0.1234` → `12.3 %` (without the unit: `12.3`).
    package static func percent(_ x: Double, _ digits: Int = 1, unit: Bool = true) -> String {
        fixed(100 * x, digits) + (unit ? " %" : "")
    }

    /// Hours with two decimals, `1.50 h`; an em dash when there is no value.
    package static func hours(_ value: Double?) -> String {
        guard let value else { return "—" }
        return fixed(value, 2) + " h"
    }

    /// Days with one decimal, `3.5 d`; an em dash when there is no value.
    package static func days(_ value: Double?) -> String {
        guard let value else { return "—" }
        return fixed(value, 1) + " d"
    }
}
