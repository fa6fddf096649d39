import ArgumentParser
import DatasetImport
import Foundation
import HandoffRules
import LabTraining

/// `baton import <source>`: turn a public data set's own files into a lab-ready lead table and
/// spec (`olist`), or into a hand-off store (`olist-funnel`).
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a data set's own files into a lab-ready lead CSV and scoring spec, or into a hand-off store.",
        subcommands: [ImportOlist.self, ImportOlistFunnel.self])
}

struct ImportOlist: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "olist",
        abstract: "Join the Olist marketing-funnel MQLs with the closed deals (won = the MQL id is in the closed deals).",
        discussion: """
            Writes one row per MQL: mql_id, first_contact_date (the spec's time column), origin (empty stays \
            empty: the level Missing), landing_page_id, contact_weekday, contact_month, contact_quarter and won \
            (1/0). Deals whose MQL id is not in the MQL file are counted and reported, not joined. Closed-deal \
            details (segment, lead type, SDR) are not features: they exist only for won leads.
            """)

    @Option(help: "olist_marketing_qualified_leads_dataset.csv") var mqls: String
    @Option(help: "olist_closed_deals_dataset.csv") var deals: String
    @Option(help: "Lead CSV to write.") var out: String
    @Option(help: "Scoring spec (YAML) to write for the lead CSV.") var specOut: String?
    @Option(help: "Landing pages with fewer MQLs than this merge into Other (spec min_count).") var landingPageMinCount = 100

    func validate() throws {
        guard landingPageMinCount >= 0 else {
            throw ValidationError("--landing-page-min-count must be ≥ 0 (got \(landingPageMinCount))")
        }
    }

    func run() throws {
        for (path, flag) in [(mqls, "--mqls"), (deals, "--deals")] where !FileManager.default.isReadableFile(atPath: path) {
            fail("\(flag) file \(path) does not exist or cannot be read; check the path", .usage)
        }
        let funnel: OlistFunnel
        do {
            funnel = try OlistFunnelImport.join(mqls: URL(fileURLWithPath: mqls), deals: URL(fileURLWithPath: deals))
            try funnel.write(
                csv: URL(fileURLWithPath: out), spec: specOut.map { URL(fileURLWithPath: $0) },
                landingPageMinCount: landingPageMinCount)
        } catch {
            fail(error)
        }
        print(Self.summary(funnel, mqls: mqls, out: out, specOut: specOut))
    }

    static func summary(_ funnel: OlistFunnel, mqls: String, out: String, specOut: String?) -> String {
        let rows = funnel.leads.count, wins = funnel.wins
        let days = funnel.leads.map(\.firstContactDay)
        let first = funnel.leads.first { $0.firstContactDay == days.min() }?.firstContactDate ?? "-"
        let last = funnel.leads.first { $0.firstContactDay == days.max() }?.firstContactDate ?? "-"
        var lines = [
            "\(rows) MQLs (first contact \(first) … \(last)), \(wins) won (\(String(format: "%.1f", 100 * Double(wins) / Double(max(rows, 1)))) %) from \(funnel.dealRows) closed deals"
        ]
        if funnel.unmatchedDeals.isEmpty {
            lines.append("every closed deal matched an MQL")
        } else {
            let examples = funnel.unmatchedDeals.prefix(5).map { "line \($0.line) \"\($0.mqlID)\"" }.joined(separator: ", ")
            let one = funnel.unmatchedDeals.count == 1
            lines.append(
                "warning: \(funnel.unmatchedDeals.count) closed deal\(one ? " names" : "s name") an MQL id not in \(mqls) and \(one ? "was" : "were") not joined (\(examples)\(funnel.unmatchedDeals.count > 5 ? ", …" : ""))"
            )
        }
        if !funnel.repeatedDeals.isEmpty {
            lines.append(
                "warning: \(funnel.repeatedDeals.count) closed-deal row\(funnel.repeatedDeals.count == 1 ? "" : "s") repeat an MQL id (first: line \(funnel.repeatedDeals[0].line)); each lead counts as won once"
            )
        }
        let lags = funnel.sortedDaysToWin
        if let median = funnel.daysToWinQuantile(0.5), let p90 = funnel.daysToWinQuantile(0.9), let maxLag = lags.last {
            lines.append("days from first contact to win (\(lags.count) wins): median \(median), 90 % within \(p90), max \(maxLag)")
        }
        lines.append("wrote \(out)" + (specOut.map { " and \($0)" } ?? ""))
        return lines.joined(separator: "\n")
    }
}
