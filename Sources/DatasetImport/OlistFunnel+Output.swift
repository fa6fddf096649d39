import BatonSupport
import Foundation

extension OlistFunnel {
    /// Header of the lab-ready lead table.
    package static let columns = [
        "mql_id", "first_contact_date", "origin", "landing_page_id",
        "contact_weekday", "contact_month", "contact_quarter", "won",
    ]

    /// The lead table as CSV (`,`, header line, `\n` line ends, fields quoted only when needed):
    /// the MQL columns, calendar features of the first-contact date (`contact_weekday` `1-Mon`…`7-Sun`,
    /// `contact_month` `01-Jan`…`12-Dec`, `contact_quarter` `Q1`…`Q4`; labels sort in calendar order,
    /// so byte-order baselines are Monday, January, Q1) and `won` (1 / 0). An empty origin stays
    /// empty, which the lab reads as the level `Missing`.
    package func csv() -> String {
        var out = Self.columns.joined(separator: ",") + "\n"
        out.reserveCapacity(leads.count * 120)
        for lead in leads {
            let fields = [
                lead.mqlID, lead.firstContactDate, lead.origin, lead.landingPageID,
                "\(lead.weekday)-\(Self.weekdayNames[lead.weekday - 1])",
                (lead.month < 10 ? "0" : "") + "\(lead.month)-\(Self.monthNames[lead.month - 1])",
                "Q\(lead.quarterOfYear)",
                lead.won ? "1" : "0",
            ]
            out += fields.map(Self.csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    /// The scoring spec for ``csv()``: outcome `won`, id `mql_id`, time `first_contact_date`,
    /// features `origin` (baseline its most common level; empty is its own level `Missing`),
    /// `landing_page_id` (pages with fewer than `landingPageMinCount` rows merge into `Other`,
    /// the baseline) and `contact_weekday`; no penalty.
    ///
    /// Month and quarter of the year are written to the CSV but left out of the spec: the sample
    /// covers one year, so month-of-year is the calendar month and would learn the rise in the
    /// won rate between 2017 and 2018, and an out-of-time quarter has months training never saw.
    /// - Precondition: `landingPageMinCount ≥ 0`.
    package func specYAML(landingPageMinCount: Int) -> String {
        precondition(landingPageMinCount >= 0, "min_count cannot be negative")
        var originCounts: [String: Int] = [:], pageCounts: [String: Int] = [:]
        for lead in leads {
            originCounts[lead.origin.isEmpty ? "Missing" : lead.origin, default: 0] += 1
            pageCounts[lead.landingPageID, default: 0] += 1
        }
        // Most common level, ties broken by byte order so the spec does not depend on hashing.
        let originBaseline = originCounts.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)
        }.first?.key
        let wonRate = leads.isEmpty ? 0 : Double(wins) / Double(leads.count)
        let winsAtMinCount = (Double(landingPageMinCount) * wonRate).clampedInt(in: 0...Int.max)
        let pagesMerged = pageCounts.values.contains { $0 < landingPageMinCount }
        let pagesKept = pageCounts.values.filter { $0 >= landingPageMinCount }.count
        var origin = "{column: origin, type: categorical, group: fit"
        if let originBaseline { origin += ", baseline: \(Self.yamlQuoted(originBaseline))" }
        var page = "{column: landing_page_id, type: categorical, group: engagement, min_count: \(landingPageMinCount)"
        if pagesMerged { page += ", baseline: Other" }
        return """
            # Olist marketing funnel, written by `baton import olist` from
            #   \(URL(fileURLWithPath: mqlFile).lastPathComponent) and \(URL(fileURLWithPath: dealsFile).lastPathComponent).
            # One row per MQL (\(leads.count) rows, \(wins) won): won = 1 when the MQL id appears in the closed deals.
            # The time column is the day the lead asked to be contacted (the MQL date), not an SDR contact.
            outcome: {column: won, positive: ["1"]}
            id: mql_id
            time: first_contact_date
            features:
              # Empty origin is its own level, Missing.
              - \(origin)}
              # \(pagesKept) of \(pageCounts.count) pages have at least \(landingPageMinCount) MQLs (about \(winsAtMinCount) wins at the overall won rate); the rest merge into Other.
              - \(page)}
              - {column: contact_weekday, type: categorical, group: engagement}
              # contact_month / contact_quarter are in the CSV but not used: one year of data makes
              # month-of-year the calendar month (it would learn the 2017 -> 2018 rise in the won rate),
              # and an out-of-time quarter brings months training never saw.
            penalty: 0

            """
    }

    /// Writes ``csv()`` to `csv` and, when given, ``specYAML(landingPageMinCount:)`` to `spec`
    /// (each replaced atomically).
    package func write(csv url: URL, spec specURL: URL?, landingPageMinCount: Int) throws(OlistImportError) {
        do {
            try Data(csv().utf8).write(to: url, options: .atomic)
        } catch {
            throw .output(path: url.path, detail: error.localizedDescription)
        }
        guard let specURL else { return }
        do {
            try Data(specYAML(landingPageMinCount: landingPageMinCount).utf8).write(to: specURL, options: .atomic)
        } catch {
            throw .output(path: specURL.path, detail: error.localizedDescription)
        }
    }

    static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
