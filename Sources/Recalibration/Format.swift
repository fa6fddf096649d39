import Foundation

/// Number formatting for the report, the rule text and the CLI (C locale, fixed digits).
enum Format {
    static func fixed(_ x: Double, _ digits: Int = 3) -> String {
        guard x.isFinite else { return "\(x)" }
        return String(format: "%.\(digits)f", locale: nil, x)
    }

    /// `p < 0.0001` style p-values.
    static func pValue(_ p: Double) -> String { p < 0.0001 ? "< 0.0001" : fixed(p, 4) }

    static func percent(_ x: Double, _ digits: Int = 1) -> String { fixed(100 * x, digits) + " %" }
}
