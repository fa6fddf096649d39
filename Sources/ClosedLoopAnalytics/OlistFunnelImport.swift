import Foundation
import HandoffStore

/// Imports the Olist marketing funnel (`olist_marketing_qualified_leads_dataset.csv` and
/// `olist_closed_deals_dataset.csv`, see the dataset's PROVENANCE.md) into a hand-off store.
///
/// Mapping, one unit of work per MQL:
/// - lead: `mql_id`; created at `first_contact_date` 00:00 UTC (the file has dates only);
///   source = `origin` (empty → none), campaign = `landing_page_id`; fields hold both, plus the
///   closed-deal attributes (business segment, lead type, behaviour profile, business type,
///   SR id) for won leads only.
/// - qualification decision: MQL at the same instant (priority "standard", rule
///   "olist-landing-page", evidence: origin and landing page), since every row is an MQL.
/// - hand-off: an assignment at the same instant; to the deal's SDR for won leads, to the
///   fallback queue "olist-sdr-unknown" otherwise (the data names SDRs only for won deals).
/// - won deal: an opportunity opened and an outcome won at `won_date` (the data has no opening
///   date), amount = `declared_monthly_revenue` in BRL (0 when 0 or empty).
/// No contact attempts, dispositions, SQL decisions or lost outcomes exist in the data.
public enum OlistFunnelImport {
    /// What the import stored.
    public struct Summary: Sendable, Hashable {
        public var leads = 0
        public var wonDeals = 0
        public var reps = 0
        /// Won deals with a declared monthly revenue above 0.
        public var dealsWithRevenue = 0
        /// Won deals whose won date is before the MQL date (a quirk of the data; kept as is).
        public var wonBeforeFirstContact = 0
        /// Leads already stored (a re-run stores nothing twice).
        public var alreadyStored = 0
    }

    public static let fallbackQueue = "olist-sdr-unknown"

    public static func run(mqls: String, deals: String, into store: any HandoffStore) async throws(AnalyticsError) -> Summary {
        let mqlFile = try CSVRows(path: mqls), dealFile = try CSVRows(path: deals)
        let mID = try mqlFile.column("mql_id"), mDate = try mqlFile.column("first_contact_date")
        let mPage = try mqlFile.column("landing_page_id"), mOrigin = try mqlFile.column("origin")
        let dID = try dealFile.column("mql_id"), dSDR = try dealFile.column("sdr_id"), dSR = try dealFile.column("sr_id")
        let dWon = try dealFile.column("won_date"), dSegment = try dealFile.column("business_segment")
        let dRevenue = try dealFile.column("declared_monthly_revenue")
        let extra = ["lead_type", "lead_behaviour_profile", "business_type"].compactMap { name in dealFile.header.firstIndex(of: name).map { (name, $0) } }

        let day = DateFormatter.fixed("yyyy-MM-dd"), stamp = DateFormatter.fixed("yyyy-MM-dd HH:mm:ss")
        func cell(_ file: CSVRows, _ row: [String], _ index: Int, _ number: Int, _ name: String) throws(AnalyticsError) -> String {
            guard index < row.count else { throw .badRow(file: file.file, row: number, column: name, reason: "the row has \(row.count) fields") }
            return row[index]
        }

        struct Deal { var sdr: String; var sr: String; var won: Date; var segment: String; var revenueMinor: Int64; var extra: [String: String] }
        var dealsByMQL: [String: Deal] = [:]
        for (i, row) in dealFile.rows.enumerated() where !(row.count == 1 && row[0].isEmpty) {
            let n = i + 2
            let id = try cell(dealFile, row, dID, n, "mql_id")
            let wonText = try cell(dealFile, row, dWon, n, "won_date")
            guard let won = stamp.date(from: wonText) else { throw .badRow(file: dealFile.file, row: n, column: "won_date", reason: "'\(wonText)' is not YYYY-MM-DD HH:MM:SS") }
            let revenueText = try cell(dealFile, row, dRevenue, n, "declared_monthly_revenue")
            var minor: Int64 = 0
            if !revenueText.isEmpty {
                guard let value = Decimal(string: revenueText, locale: Locale(identifier: "en_US_POSIX")), value >= 0 else {
                    throw .badRow(file: dealFile.file, row: n, column: "declared_monthly_revenue", reason: "'\(revenueText)' is not a non-negative number")
                }
                minor = NSDecimalNumber(decimal: value * 100).int64Value
            }
            guard dealsByMQL[id] == nil else { throw .badRow(file: dealFile.file, row: n, column: "mql_id", reason: "'\(id)' has a second deal") }
            dealsByMQL[id] = Deal(sdr: try cell(dealFile, row, dSDR, n, "sdr_id"), sr: try cell(dealFile, row, dSR, n, "sr_id"), won: won,
                                  segment: try cell(dealFile, row, dSegment, n, "business_segment"), revenueMinor: minor,
                                  extra: Dictionary(uniqueKeysWithValues: extra.map { ($0.0, $0.1 < row.count ? row[$0.1] : "") }))
        }

        var summary = Summary()
        let reps = Set(dealsByMQL.values.flatMap { [$0.sdr, $0.sr] }.filter { !$0.isEmpty }).sorted()
        let firstDate = Date(timeIntervalSince1970: 0)
        var seen = Set<String>()
        var units: [UnitOfWork] = reps.map { UnitOfWork([.upsertRep(RepRecord(id: $0, name: $0, timeZone: "America/Sao_Paulo", updatedAt: firstDate))]) }
        summary.reps = reps.count
        for (i, row) in mqlFile.rows.enumerated() where !(row.count == 1 && row[0].isEmpty) {
            let n = i + 2
            let id = try cell(mqlFile, row, mID, n, "mql_id")
            guard !id.isEmpty else { throw .badRow(file: mqlFile.file, row: n, column: "mql_id", reason: "empty id") }
            guard seen.insert(id).inserted else { throw .badRow(file: mqlFile.file, row: n, column: "mql_id", reason: "'\(id)' appears twice") }
            let dateText = try cell(mqlFile, row, mDate, n, "first_contact_date")
            guard let created = day.date(from: dateText) else { throw .badRow(file: mqlFile.file, row: n, column: "first_contact_date", reason: "'\(dateText)' is not YYYY-MM-DD") }
            let origin = try cell(mqlFile, row, mOrigin, n, "origin"), page = try cell(mqlFile, row, mPage, n, "landing_page_id")
            var fields: [String: String] = ["origin": origin, "landing_page_id": page]
            let deal = dealsByMQL[id]
            if let deal {
                fields["business_segment"] = deal.segment
                fields["sr_id"] = deal.sr
                for (k, v) in deal.extra { fields[k] = v }
            }
            var ops: [WriteOperation] = []
            do {
                ops.append(.upsertLead(LeadRecord(id: id, fields: try JSONText(encoding: fields), source: origin.isEmpty ? nil : origin,
                                                  campaign: page.isEmpty ? nil : page, createdAt: created)))
                ops.append(.recordDecision(QualificationDecisionRecord(
                    leadID: id, stage: .mql, priority: "standard", rule: "olist-landing-page",
                    evidence: try JSONText(encoding: ["origin": origin, "landing_page_id": page, "first_contact_date": dateText]), decidedAt: created)))
            } catch { throw .badRow(file: mqlFile.file, row: n, column: "mql_id", reason: error.description) }
            let target: AssignmentTarget = deal.flatMap { $0.sdr.isEmpty ? nil : AssignmentTarget.rep($0.sdr) } ?? .fallbackQueue(fallbackQueue)
            ops.append(.openAssignment(AssignmentRecord(leadID: id, target: target, rule: "olist-import", assignedAt: created)))
            if let deal {
                let amount = Money(minorUnits: deal.revenueMinor, currency: "BRL")
                ops.append(.upsertOpportunity(OpportunityRecord(id: "olist-opp-\(id)", leadID: id, amount: amount, stage: "closed-won", openedAt: deal.won)))
                ops.append(.appendOutcome(OutcomeRecord(id: "olist-won-\(id)", opportunityID: "olist-opp-\(id)", leadID: id, result: .won,
                                                        amount: amount, closedAt: deal.won)))
                summary.wonDeals += 1
                if deal.revenueMinor > 0 { summary.dealsWithRevenue += 1 }
                if deal.won < created { summary.wonBeforeFirstContact += 1 }
            }
            // The lead's own row is the idempotency key: re-running the import skips stored leads.
            units.append(UnitOfWork(ops))
            summary.leads += 1
        }
        let missing = Set(dealsByMQL.keys).subtracting(seen)
        if let first = missing.sorted().first {
            throw .badRow(file: dealFile.file, row: 0, column: "mql_id", reason: "\(missing.count) deal(s) name an MQL not in \(mqlFile.file), e.g. '\(first)'")
        }
        do {
            var fresh: [UnitOfWork] = []
            for unit in units {
                if case let .upsertLead(lead)? = unit.operations.first, try await store.lead(id: lead.id) != nil {
                    summary.alreadyStored += 1
                    continue
                }
                fresh.append(unit)
            }
            _ = try await store.commit(fresh)
        } catch {
            throw .store(error)
        }
        return summary
    }
}

extension DateFormatter {
    /// A UTC POSIX formatter for a fixed pattern.
    static func fixed(_ pattern: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = pattern
        return f
    }
}
