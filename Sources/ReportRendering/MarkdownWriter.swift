/// The one Markdown builder of Baton's notebooks (the recalibration report, the weekly and
/// monthly reviews, the funnel review, the rep's hand-off package): GitHub-flavoured Markdown,
/// one line at a time, tables with `|` in cells escaped so a value cannot break a row.
package struct MarkdownWriter: Sendable {
    /// How a table column is aligned (`---` or `---:`).
    package enum Alignment: Sendable {
        case left, right
    }

    /// The lines written so far.
    package private(set) var lines: [String] = []

    package init() {}

    /// Every line followed by a line break.
    package var text: String { lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n" }

    /// Appends one line (empty: a paragraph break).
    package mutating func line(_ text: String = "") { lines.append(text) }

    /// Appends an image line, e.g. `![title](figures/psi.svg)`.
    package mutating func image(_ path: String, alt: String) { line("![\(alt)](\(path))") }

    /// Appends a table and the blank line that ends it; `align` gives each column's alignment
    /// (missing entries are left-aligned).
    package mutating func table(_ header: [String], _ rows: [[String]], align: [Alignment] = []) {
        lines += Self.tableLines(header, rows, align: align)
        line()
    }

    /// The lines of a table: header (Baton's own text, written as is), alignment row, one line
    /// per row.
    package static func tableLines(_ header: [String], _ rows: [[String]], align: [Alignment] = []) -> [String] {
        let rule = header.indices.map { index in index < align.count && align[index] == .right ? "---:" : "---" }
        return [row(header, escaped: false), row(rule, escaped: false)] + rows.map { row($0) }
    }

    /// `| a | b |`, with `|` inside cells escaped as `\|`.
    package static func row(_ cells: [String], escaped: Bool = true) -> String {
        "| " + cells.map { escaped ? $0.replacingOccurrences(of: "|", with: "\\|") : $0 }.joined(separator: " | ") + " |"
    }
}
