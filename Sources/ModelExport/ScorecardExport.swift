import BatonSupport
import Foundation
import ScoringModelFormat

/// The points table a joint marketing–sales meeting reads and signs: one row per feature and
/// bin or level with the points it adds, on the model's own scaling (GLOSSARY, "Scorecard
/// scaling": `factor = PDO / ln 2`, `offset = base_points − factor · ln(base_odds)`, points of a
/// term = `factor · β`, the intercept's share `offset + factor · β₀` is the base points).
///
/// A lead's score is the base points plus, per feature, the points of its bin or level (plus,
/// for a numeric feature without bins, points per unit times its value). The lowest bin and the
/// baseline level score 0; the others are relative to them.
package enum ScorecardExport {
    /// One row of the table.
    package struct Row: Sendable, Equatable {
        package var feature: String
        /// The bin label, the level, `Missing`, `per unit of log1p(x)`, or empty for the base points.
        package var binOrLevel: String
        package var points: Double
    }

    /// The rows, in spec order: the base points first, then every bin or level of every feature
    /// (the baseline with 0), then, for plain numeric features, the points per unit.
    package static func rows(for weights: WeightFile) -> [Row] {
        var rows = [Row(feature: "(base points)", binOrLevel: "", points: weights.baseScore)]
        var pointsOf: [String: Double] = [:]
        for term in weights.model { pointsOf[term.name] = term.pointsPerUnit }
        for encoding in weights.encodings {
            let column = encoding.column
            if let bins = encoding.bins {
                for label in bins.labels(withMissing: encoding.missing == .indicator) {
                    rows.append(Row(feature: column, binOrLevel: label, points: pointsOf["\(column)=\(label)"] ?? 0))
                }
                if encoding.missing == .zero {
                    rows.append(
                        Row(
                            feature: column, binOrLevel: "Missing (scored as \(bins.label(bins.bin(of: 0))))",
                            points: pointsOf["\(column)=\(bins.label(bins.bin(of: 0)))"] ?? 0))
                }
            } else if encoding.type == .categorical {
                for level in encoding.levels {
                    rows.append(Row(feature: column, binOrLevel: level, points: pointsOf["\(column)=\(level)"] ?? 0))
                }
            } else {
                for term in encoding.terms {
                    let label = term.kind == .missingIndicator ? missingLevel : "per unit of \(term.name)"
                    rows.append(Row(feature: column, binOrLevel: label, points: pointsOf[term.name] ?? 0))
                }
            }
        }
        return rows
    }

    /// CSV (RFC 4180): `feature,bin_or_level,points`, points in shortest round-trip form, cells
    /// written by ``CSVCell`` (quoted when needed; text a spreadsheet would run as a formula gets a leading `'`).
    package static func csv(for weights: WeightFile) -> String {
        var lines = ["feature,bin_or_level,points"]
        for row in rows(for: weights) {
            lines.append(CSVCell.line([row.feature, row.binOrLevel, row.points.description]))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Markdown: what the model is, how to read the points, and the table (points to one decimal;
    /// the scorer uses them unrounded).
    package static func markdown(for weights: WeightFile) -> String {
        let scale = weights.points
        var lines: [String] = []
        lines.append("# Points table")
        lines.append("")
        lines.append(
            "Model fitted on \(markdownText(weights.training.inputFile)) (\(weights.training.rows) leads, \(weights.training.positives) won), created \(weights.training.createdAt), \(weights.format)."
        )
        lines.append(
            "Scaling: \(number(scale.basePoints)) points at odds \(number(scale.baseOdds)):1, and \(number(scale.pdo)) more points double the odds of closing."
        )
        lines.append("")
        lines.append(
            "A lead's score is the base points plus the points of its bin or level in every feature. The lowest bin and each feature's baseline level score 0."
        )
        if let mql = weights.thresholds?.mql { lines.append("MQL threshold: \(number(mql)) points.") }
        if let sql = weights.thresholds?.sql { lines.append("SQL threshold: \(number(sql)) points.") }
        lines.append("")
        lines.append("| Feature | Bin or level | Points |")
        lines.append("| --- | --- | ---: |")
        for row in rows(for: weights) {
            lines.append("| \(markdownText(row.feature)) | \(markdownText(row.binOrLevel)) | \(String(format: "%+.1f", row.points)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? x.plainText : "\(x)" }

    /// Pipes, backslashes and Markdown's inline markers escaped, so a level can never break the table.
    static func markdownText(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\|`*_[]<>#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
