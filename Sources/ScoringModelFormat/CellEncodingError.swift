import BatonSupport

/// A raw cell that a feature encoding cannot turn into term values. Cases name the column
/// and the value; a caller that knows the file and line (the lab's `DataError`) adds them.
public enum CellEncodingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An empty numeric cell under `missing: error` or `missing: drop_row` (a single lead
    /// cannot be dropped, so the scorer reports it).
    case missingValue(column: String, rule: MissingRule)
    /// A numeric cell that is not a decimal number.
    case notANumber(column: String, value: String)
    /// A numeric cell that is infinite or NaN (or overflows a Double).
    case nonFinite(column: String, value: String)
    /// A numeric cell beyond ±10¹⁵ (``largestLeadNumber``): no lead counts that high, and such
    /// a value would push the score out of any readable range.
    case tooLarge(column: String, value: String)
    /// `log1p` of a value ≤ −1.
    case outsideLog1pDomain(column: String, value: Double)

    /// The column the error is about.
    public var column: String {
        switch self {
        case let .missingValue(column, _), let .notANumber(column, _), let .nonFinite(column, _),
            let .tooLarge(column, _), let .outsideLog1pDomain(column, _):
            return column
        }
    }

    /// What is wrong and what to do, without the location.
    public var problem: String {
        switch self {
        case let .missingValue(column, rule):
            return
                "the \"\(column)\" cell is empty and the spec says `missing: \(rule.rawValue)` for it. Fill the cell, or choose another `missing:` for this feature in the spec: drop_row (leave such leads out of the fit), zero (read an empty cell as 0) or indicator (0 plus a 0/1 term that says the cell was empty)."
        case let .notANumber(column, value):
            return "\"\(value)\" in \"\(column)\" is not a number. Fix the cell or leave it empty for a missing value."
        case let .nonFinite(column, value):
            return "\"\(value)\" in \"\(column)\" is not a finite number. Use a finite value or leave the cell empty."
        case let .tooLarge(column, value):
            return
                "\"\(value)\" in \"\(column)\" is beyond ±10^15, the largest number Baton reads from a lead. Check the unit (cents? a timestamp?) and fix the cell, or leave it empty for a missing value."
        case let .outsideLog1pDomain(column, value):
            return "\"\(column)\" is \(value), and log1p needs a value above -1. Fix the value, or use `transform: none` for this column."
        }
    }

    public var description: String { problem.prefix(1).uppercased() + problem.dropFirst() }
}
