import Foundation
import ScoringModelFormat

/// Spells identifiers, literals and terms for one dialect.
struct SQLWriter {
    let dialect: SQLDialect

    /// `"name"`, with embedded double quotes doubled.
    func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `'text'`, with embedded single quotes doubled.
    func string(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A double in its shortest round-trip spelling, parenthesised when negative (so `- -1` or
    /// a `--` comment can never form).
    func number(_ value: Double) -> String {
        precondition(value.isFinite, "a validated weight file holds only finite numbers")
        // -0.0 and 0.0 add the same; "0.0" avoids a signed zero in SQL text.
        var text = value == 0 ? "0.0" : value.description
        if dialect == .postgreSQL { text += "::float8" }
        return value < 0 ? "(\(text))" : text
    }

    /// The numeric term's value after the missing rule and the transform.
    func numericValue(_ encoding: FeatureEncoding) -> String {
        let column = identifier(encoding.column)
        let value: String
        switch encoding.missing {
        case .zero, .indicator: value = "COALESCE(\(column), 0)"
        // NULL propagates through the arithmetic: a lead the model cannot score gets a NULL score.
        case .dropRow, .error: value = column
        }
        switch encoding.transform {
        case .none, .bins: return value
        case .log1p: return "LN(1 + \(value))"
        }
    }

    /// A binned feature's contribution: `(CASE WHEN x IS NULL THEN m WHEN x < c₁ THEN v₀ … ELSE v_k END)`
    /// with `values` keyed by bin label (the lowest bin, the baseline, contributes 0).
    func binCase(_ encoding: FeatureEncoding, values: [String: Double]) throws -> String {
        guard let bins = encoding.bins else {
            throw WeightFileError.inconsistent(file: "weights", detail: "\"\(encoding.column)\" has bin terms but no bins")
        }
        let column = identifier(encoding.column)
        let contribution = (0..<bins.count).map { values[bins.label($0)] ?? 0 }
        let missing: String
        switch encoding.missing {
        case .indicator: missing = number(values[missingLevel] ?? 0)
        case .zero: missing = number(contribution[bins.bin(of: 0)])
        // As for a plain numeric column: a lead the model cannot score gets a NULL score.
        case .error, .dropRow: missing = "NULL"
        }
        var branches = ["WHEN \(column) IS NULL THEN \(missing)"]
        for (index, cut) in bins.cuts.enumerated() {
            branches.append("WHEN \(column) < \(number(cut)) THEN \(number(contribution[index]))")
        }
        return "(CASE " + branches.joined(separator: " ") + " ELSE \(number(contribution[bins.cuts.count])) END)"
    }

    /// The level a raw value (NULL passed as "") ends up as: recode first, then an empty value is
    /// `Missing`, then a level merged into `Other` or not among `levels` is ``unseenLevel(_:)``.
    static func resolve(_ raw: String, _ encoding: FeatureEncoding) -> String? {
        let recoded = encoding.recode[raw] ?? raw
        let level = recoded.isEmpty ? missingLevel : recoded
        if encoding.mergedIntoOther[level] == nil, encoding.levels.contains(level) { return level }
        return unseenLevel(encoding)
    }

    /// Where a value merged into `Other` or never seen goes: `Other` if the model knows it, else the baseline.
    static func unseenLevel(_ encoding: FeatureEncoding) -> String? {
        encoding.levels.contains(otherLevel) ? otherLevel : encoding.baseline
    }

    /// `(CASE WHEN c IS NULL OR c = '' THEN m WHEN c IN (…) THEN v … ELSE e END)`, grouping raw values by
    /// their contribution and leaving out those equal to the ELSE branch.
    func levelCase(_ encoding: FeatureEncoding, values: [String: Double]) -> String {
        func contribution(_ level: String?) -> Double { level.flatMap { values[$0] } ?? 0 }
        let column = identifier(encoding.column)
        let fallback = contribution(Self.unseenLevel(encoding))
        let missing = contribution(Self.resolve("", encoding))

        // Every raw spelling the encoding knows: levels, recode sources, merged levels.
        var raws = Set(encoding.levels)
        raws.formUnion(encoding.recode.keys)
        raws.formUnion(encoding.mergedIntoOther.keys)
        raws.remove("")
        var byContribution: [Double: [String]] = [:]
        for raw in raws {
            let value = contribution(Self.resolve(raw, encoding))
            if value != fallback { byContribution[value, default: []].append(raw) }
        }
        var branches = ["WHEN \(column) IS NULL OR \(column) = '' THEN \(number(missing))"]
        // Deterministic text: order branches by their first raw value's bytes.
        let groups = byContribution.map { (value: $0.key, raws: $0.value.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }) }
            .sorted { $0.raws[0].utf8.lexicographicallyPrecedes($1.raws[0].utf8) }
        for group in groups {
            let list = group.raws.map(string).joined(separator: ", ")
            branches.append("WHEN \(column) IN (\(list)) THEN \(number(group.value))")
        }
        return "(CASE " + branches.joined(separator: " ") + " ELSE \(number(fallback)) END)"
    }
}
