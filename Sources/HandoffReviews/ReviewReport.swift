import Foundation
import ReportRendering

/// The review notebook: `report.md` plus its SVG charts.
package struct ReviewReport: Sendable {
    /// Markdown text of report.md.
    package let markdown: String
    /// Chart files (name → SVG text).
    package let charts: [String: String]
    /// The "what to change" items.
    package let changes: [ChangeItem]

    package init(results r: ReviewResults, configuration: AnalyticsConfiguration, title: String) {
        let charts = ReviewCharts.all(r, configuration: configuration)
        let changes = WhatToChange.items(r, configuration: configuration)
        var md = MarkdownWriter()
        let iso = ISO8601DateFormatter()
        iso.timeZone = r.period.timeZone
        md.line("# \(title) \(r.period.label)")
        md.line()
        md.line(
            "Period: \(iso.string(from: r.period.range.start)) to \(iso.string(from: r.period.range.end)) (half-open, boundaries at local midnight in \(r.period.timeZone.identifier)). Counts include what the store held up to \(iso.string(from: r.asOf))."
        )
        md.line()
        if r.handoffs.isEmpty {
            md.line(
                "**No lead was handed off in this period.** The hand-off measures below say \"no data\" instead of a rate; the trend and the matured-outcome tables use earlier weeks."
            )
            md.line()
        }
        if !r.contactAttemptsRecorded && !r.handoffs.isEmpty {
            md.line(
                "**No contact attempt is stored for any loaded lead.** This source does not record touches, so speed to contact and first-touch SLA compliance cannot be measured: the tables below show every hand-off as untouched, and the SLA rules of \"What to change\" are not applied."
            )
            md.line()
        }
        md.line("## What to change")
        md.line()
        if changes.isEmpty {
            md.line("Nothing crossed a rule's threshold this period.")
        } else {
            for item in changes { md.line("- \(item.text) _(rule: \(item.rule))_") }
        }
        md.line()
        ReviewReport.sections(r, configuration: configuration, charts: charts, into: &md)
        if let footnote = Proportion.smallSampleFootnote(for: md.text) {
            md.line()
            md.line(footnote)
        }
        self.markdown = md.text
        self.charts = Dictionary(charts.compactMap { c in c.svg.map { (c.file, $0) } }, uniquingKeysWith: { a, _ in a })
        self.changes = changes
    }

    /// Writes report.md and the charts into `directory`, atomically: everything goes into a
    /// temporary sibling folder that is renamed over `directory` at the end, so a reader never
    /// sees a half-written report (an existing folder is replaced).
    package func write(to directory: URL) throws(AnalyticsError) {
        try ReviewReport.write(markdown: markdown, charts: charts, to: directory)
    }

    static func write(markdown: String, charts: [String: String], to directory: URL) throws(AnalyticsError) {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let temporary = parent.appendingPathComponent(".\(directory.lastPathComponent).tmp-\(UUID().uuidString)")
        let backup = parent.appendingPathComponent(".\(directory.lastPathComponent).old-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
            try Data(markdown.utf8).write(to: temporary.appendingPathComponent("report.md"))
            for (name, svg) in charts { try Data(svg.utf8).write(to: temporary.appendingPathComponent(name)) }
            var moved = false
            if fm.fileExists(atPath: directory.path) {
                try fm.moveItem(at: directory, to: backup)
                moved = true
            }
            try fm.moveItem(at: temporary, to: directory)
            if moved { try? fm.removeItem(at: backup) }
        } catch {
            try? fm.removeItem(at: temporary)
            throw .cannotWrite(path: directory.path, reason: "\(error.localizedDescription)")
        }
    }
}

extension MarkdownWriter {
    /// A review chart: its image when drawn, then its note.
    mutating func chart(_ chart: ReviewCharts.Chart) {
        if chart.svg != nil { image(chart.file, alt: chart.file) }
        if let note = chart.note {
            line()
            line("_\(note)_")
        }
        line()
    }
}
