import Foundation
import HandoffPersistence

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
package enum OlistStoreImport {
    /// What the import stored.
    package struct Summary: Sendable, Hashable {
        package var leads = 0
        package var wonDeals = 0
        package var reps = 0
        /// Won deals with a declared monthly revenue above 0.
        package var dealsWithRevenue = 0
        /// Won deals whose won date is before the MQL date (a quirk of the data; kept as is).
        package var wonBeforeFirstContact = 0
        /// Leads already stored (a re-run stores nothing twice).
        package var alreadyStored = 0
    }

    package static let fallbackQueue = "olist-sdr-unknown"

    /// Reads both files with LabTraining's Olist reader (the same join `baton import olist` uses)
    /// and stores one unit of work per MQL, skipping leads already stored.
    ///
    /// - Throws: ``StoreImportError/olistImport(_:)`` for what the reader refuses (missing file or
    ///   column, duplicate or empty MQL id, bad first-contact date); ``StoreImportError/badRow(file:row:column:reason:)``
    ///   for a deal the store cannot take (a won date that is not `YYYY-MM-DD HH:MM:SS`, a
    ///   revenue that is not a non-negative number, a second deal for one MQL, a deal naming an
    ///   unknown MQL); ``StoreImportError/store(_:)`` when the store fails. Nothing is stored unless
    ///   every row is good.
    package static func run(mqls: String, deals: String, into store: any HandoffStore) async throws(StoreImportError) -> Summary {
        let funnel: OlistFunnel
        do { funnel = try OlistFunnelImport.join(mqls: URL(fileURLWithPath: mqls), deals: URL(fileURLWithPath: deals), dealDetails: true) } catch {
            throw .olistImport(error)
        }
        if let first = funnel.unmatchedDeals.first {
            throw .badRow(
                file: funnel.dealsFile, row: first.line, column: OlistFunnelImport.mqlIDColumn,
                reason:
                    "'\(first.mqlID)' is not an MQL of \(funnel.mqlFile) (\(funnel.unmatchedDeals.count) deal(s) like it); every deal must close a known lead"
            )
        }
        if let second = funnel.repeatedDeals.first {
            throw .badRow(
                file: funnel.dealsFile, row: second.line, column: OlistFunnelImport.mqlIDColumn, reason: "'\(second.mqlID)' has a second deal")
        }
        struct Deal {
            var sdr: String
            var sr: String
            var won: Date
            var segment: String
            var revenueMinor: Int64
            var extra: [String: String]
        }
        var dealsByMQL: [String: Deal] = [:]
        for lead in funnel.leads {
            guard let deal = lead.deal else { continue }
            guard let second = deal.wonSecond else {
                throw .badRow(
                    file: funnel.dealsFile, row: deal.line, column: OlistFunnelImport.wonDateColumn,
                    reason: "'\(deal.wonDate)' is not YYYY-MM-DD HH:MM:SS")
            }
            let revenueText = deal.details["declared_monthly_revenue"] ?? ""
            var minor: Int64 = 0
            if !revenueText.isEmpty {
                guard let value = Decimal(string: revenueText, locale: Locale(identifier: "en_US_POSIX")), value >= 0 else {
                    throw .badRow(
                        file: funnel.dealsFile, row: deal.line, column: "declared_monthly_revenue",
                        reason: "'\(revenueText)' is not a non-negative number")
                }
                minor = NSDecimalNumber(decimal: value * 100).int64Value
            }
            let extra = deal.details.filter { OlistFunnelImport.optionalDealDetailColumns.contains($0.key) }
            dealsByMQL[lead.mqlID] = Deal(
                sdr: deal.details["sdr_id"] ?? "", sr: deal.details["sr_id"] ?? "",
                won: Date(timeIntervalSince1970: TimeInterval(second)),
                segment: deal.details["business_segment"] ?? "", revenueMinor: minor, extra: extra)
        }

        var summary = Summary()
        let reps = Set(dealsByMQL.values.flatMap { [$0.sdr, $0.sr] }.filter { !$0.isEmpty }).sorted()
        let firstDate = Date(timeIntervalSince1970: 0)
        var units: [UnitOfWork] = reps.map {
            UnitOfWork([.upsertRep(RepRecord(id: $0, name: $0, timeZone: "America/Sao_Paulo", updatedAt: firstDate))])
        }
        summary.reps = reps.count
        for lead in funnel.leads {
            let id = lead.mqlID, dateText = lead.firstContactDate
            let created = Date(timeIntervalSince1970: TimeInterval(lead.firstContactDay) * 86_400)
            let origin = lead.origin, page = lead.landingPageID
            var fields: [String: String] = ["origin": origin, "landing_page_id": page]
            let deal = dealsByMQL[id]
            if let deal {
                fields["business_segment"] = deal.segment
                fields["sr_id"] = deal.sr
                for (k, v) in deal.extra { fields[k] = v }
            }
            var ops: [WriteOperation] = []
            do {
                ops.append(
                    .upsertLead(
                        LeadRecord(
                            id: id, fields: try JSONText(encoding: fields), source: origin.isEmpty ? nil : origin,
                            campaign: page.isEmpty ? nil : page, createdAt: created)))
                ops.append(
                    .recordDecision(
                        QualificationDecisionRecord(
                            leadID: id, stage: .mql, priority: .standard, rule: "olist-landing-page",
                            evidence: try JSONText(encoding: ["origin": origin, "landing_page_id": page, "first_contact_date": dateText]),
                            decidedAt: created)))
            } catch { throw .badRow(file: funnel.mqlFile, row: lead.line, column: OlistFunnelImport.mqlIDColumn, reason: error.description) }
            let target: AssignmentTarget = deal.flatMap { $0.sdr.isEmpty ? nil : AssignmentTarget.rep($0.sdr) } ?? .fallbackQueue(fallbackQueue)
            ops.append(.openAssignment(AssignmentRecord(leadID: id, target: target, rule: "olist-import", assignedAt: created)))
            if let deal {
                let amount = Money(minorUnits: deal.revenueMinor, currency: "BRL")
                ops.append(
                    .upsertOpportunity(OpportunityRecord(id: "olist-opp-\(id)", leadID: id, amount: amount, stage: "closed-won", openedAt: deal.won)))
                ops.append(
                    .appendOutcome(
                        OutcomeRecord(
                            id: "olist-won-\(id)", opportunityID: "olist-opp-\(id)", leadID: id, result: .won,
                            amount: amount, closedAt: deal.won)))
                summary.wonDeals += 1
                if deal.revenueMinor > 0 { summary.dealsWithRevenue += 1 }
                if deal.won < created { summary.wonBeforeFirstContact += 1 }
            }
            // The lead's own row is the idempotency key: re-running the import skips stored leads.
            units.append(UnitOfWork(ops))
            summary.leads += 1
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
