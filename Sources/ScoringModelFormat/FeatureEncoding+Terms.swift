import BatonSupport
import Foundation

/// The term values of one raw cell, and whether its level was one the model never saw.
public struct EncodedCell: Sendable, Equatable {
    /// One value per term of the feature (same order as ``FeatureEncoding/terms``).
    public var values: [Double]
    /// For a categorical cell whose level (after recoding) the model does not know: that
    /// level. It was scored as `Other` when the model has it, else as the baseline.
    public var unseenLevel: String?
}

extension FeatureEncoding {
    /// The model terms this feature contributes, in order: numeric → `column` or
    /// `log1p(column)`, then `missing(column)` under `missing: indicator`; categorical → one
    /// `column=level` per non-baseline level, levels in byte order.
    public var terms: [Term] {
        switch type {
        case .numeric where transform == .bins:
            return binLevels.map { Term(name: "\(column)=\($0)", kind: .bin, column: column, level: $0, group: group) }
        case .numeric:
            let name = transform == .log1p ? "log1p(\(column))" : column
            var terms = [Term(name: name, kind: .numeric, column: column, group: group)]
            if missing == .indicator {
                terms.append(Term(name: "missing(\(column))", kind: .missingIndicator, column: column, group: group))
            }
            return terms
        case .categorical:
            return dummyLevels.map { Term(name: "\(column)=\($0)", kind: .level, column: column, level: $0, group: group) }
        }
    }

    /// All model terms of a list of encodings: `(intercept)` first, then each feature's terms.
    public static func terms(of encodings: [FeatureEncoding]) -> [Term] {
        [Term.intercept] + encodings.flatMap(\.terms)
    }

    /// Binned numeric: the labels of the bins that get a term, in term order: every bin but the
    /// lowest (the baseline), then `Missing` under the `indicator` rule. Empty without bins.
    public var binLevels: [String] {
        guard let bins else { return [] }
        return Array(bins.labels(withMissing: missing == .indicator).dropFirst())
    }

    /// Binned numeric: the term index (into ``binLevels``) of a present value, nil for the baseline bin.
    public func binTerm(of value: Double) -> Int? {
        guard let bins else { return nil }
        let bin = bins.bin(of: value)
        return bin == 0 ? nil : bin - 1
    }

    /// Categorical: the levels that get a dummy term (all but the baseline), in byte order.
    public var dummyLevels: [String] {
        levels.filter { $0 != baseline }
    }

    /// Categorical: the model level a cell goes to, and whether it was unseen in training.
    ///
    /// The cell is trimmed of spaces, recoded, and an empty result is `Missing`. A known
    /// level stays; a level merged into `Other` in training goes to `Other`; an unseen level
    /// goes to `Other` if the model has it, else to the baseline.
    public func modelLevel(forCell cell: String) -> (level: String, unseen: Bool) {
        precondition(type == .categorical, "modelLevel(forCell:) is for categorical encodings")
        let trimmed = cell.trimmingSpacesAndTabs()
        var level = recode[trimmed] ?? trimmed
        if level.isEmpty { level = missingLevel }
        if levels.contains(level) { return (level, false) }
        if mergedIntoOther[level] != nil { return (otherLevel, false) }
        if levels.contains(otherLevel) { return (otherLevel, true) }
        return (baseline ?? levels.first ?? level, true)
    }

    /// Numeric: the term value of a present, finite number `x` (after the missing rule):
    /// `x` or `log1p(x)`.
    public func numericTermValue(_ x: Double) throws(CellEncodingError) -> Double {
        guard x.isFinite else { throw .nonFinite(column: column, value: "\(x)") }
        guard abs(x) <= largestLeadNumber else { throw .tooLarge(column: column, value: "\(x)") }
        switch transform {
        case .none, .bins:
            // Bins take the raw value; ``encode(rawCell:)`` turns it into the bin's 0/1 terms.
            return x
        case .log1p:
            guard x > -1 else { throw .outsideLog1pDomain(column: column, value: x) }
            return Foundation.log1p(x)
        }
    }

    /// The term values of one raw cell (nil or empty = missing), see ``encode(rawCell:)``.
    public func termValues(rawCell: String?) throws(CellEncodingError) -> [Double] {
        try encode(rawCell: rawCell).values
    }

    /// Encodes one raw cell of a single lead into this feature's term values.
    ///
    /// Numeric cells: surrounding spaces trimmed; empty → the missing rule (`zero` and
    /// `indicator` use 0, the indicator term is 1; `error` and `drop_row` throw); otherwise a
    /// decimal number (`[+-]digits[.digits][e±digits]`), then the transform. Categorical cells:
    /// see ``modelLevel(forCell:)``; the dummy of the level is 1, all others 0.
    public func encode(rawCell: String?) throws(CellEncodingError) -> EncodedCell {
        switch type {
        case .numeric where transform == .bins:
            return EncodedCell(values: try binnedValues(rawCell: rawCell))
        case .numeric:
            let text = (rawCell ?? "").trimmingSpacesAndTabs()
            if text.isEmpty {
                switch missing {
                case .error, .dropRow:
                    throw .missingValue(column: column, rule: missing)
                case .zero:
                    return EncodedCell(values: [try numericTermValue(0)])
                case .indicator:
                    return EncodedCell(values: [try numericTermValue(0), 1])
                }
            }
            guard text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }),
                let value = Double(text)
            else {
                throw .notANumber(column: column, value: text)
            }
            guard value.isFinite else { throw .nonFinite(column: column, value: text) }
            guard abs(value) <= largestLeadNumber else { throw .tooLarge(column: column, value: text) }
            let term = try numericTermValue(value)
            return EncodedCell(values: missing == .indicator ? [term, 0] : [term])
        case .categorical:
            let (level, unseen) = modelLevel(forCell: rawCell ?? "")
            let dummies = dummyLevels
            var values = [Double](repeating: 0, count: dummies.count)
            if let index = dummies.firstIndex(of: level) { values[index] = 1 }
            return EncodedCell(values: values, unseenLevel: unseen ? recodedCell(rawCell ?? "") : nil)
        }
    }

    /// Binned numeric: the 0/1 term values of one raw cell. An empty cell follows the missing
    /// rule: `indicator` → the `Missing` bin's term; `zero` → the bin of 0 (also the rule when
    /// training had no empty cell, see ``missingIndicatorDropped``); `error`/`drop_row` throw.
    public func binnedValues(rawCell: String?) throws(CellEncodingError) -> [Double] {
        var values = [Double](repeating: 0, count: binLevels.count)
        let text = (rawCell ?? "").trimmingSpacesAndTabs()
        let value: Double
        if text.isEmpty {
            switch missing {
            case .error, .dropRow:
                throw .missingValue(column: column, rule: missing)
            case .indicator:
                values[values.count - 1] = 1
                return values
            case .zero:
                value = 0
            }
        } else {
            guard text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }),
                let parsed = Double(text)
            else {
                throw .notANumber(column: column, value: text)
            }
            value = try numericTermValue(parsed)
        }
        if let term = binTerm(of: value) { values[term] = 1 }
        return values
    }

    /// Categorical: the cell after trimming and recoding (empty → `Missing`), as reported for unseen levels.
    public func recodedCell(_ cell: String) -> String {
        let trimmed = cell.trimmingSpacesAndTabs()
        let level = recode[trimmed] ?? trimmed
        return level.isEmpty ? missingLevel : level
    }
}
