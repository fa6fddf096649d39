import Foundation
import HandoffRules

/// Why a lead went where it went: its decision ledger and the merges it took part in — what
/// `GET /leads/{id}/decisions` answers and `baton handoff explain --json` prints.
package struct LeadDecisions: Encodable, Sendable {
    /// One merge the lead took part in (as the merged lead or as the survivor).
    package struct Merge: Encodable, Sendable {
        let mergedLeadID: String
        let survivorID: String
        let rule: LeadMergeRecord.Rule
        let evidence: String
        let eventID: String
        let mergedAt: String
        let endedAt: String?

        init(_ record: LeadMergeRecord) {
            mergedLeadID = record.mergedID
            survivorID = record.survivorID
            rule = record.rule
            evidence = record.evidence
            eventID = record.eventID
            mergedAt = LedgerTime.text(record.mergedAt)
            endedAt = record.endedAt.map(LedgerTime.text)
        }

        enum CodingKeys: String, CodingKey {
            case rule, evidence
            case mergedLeadID = "merged_lead_id"
            case survivorID = "survivor_id"
            case eventID = "event_id"
            case mergedAt = "merged_at"
            case endedAt = "ended_at"
        }
    }

    package let leadID: String
    /// The lead it stands merged into, whose ledger decides its routing and SLA from the merge on.
    package let mergedInto: String?
    package let merges: [Merge]
    package let count: Int
    package let decisions: [DecisionLedgerEntry]

    enum CodingKeys: String, CodingKey {
        case count, decisions, merges
        case leadID = "lead_id"
        case mergedInto = "merged_into"
    }

    /// The text `baton handoff explain` prints: the merges, the ledger, and for a lead merged into
    /// another that lead's ledger (`survivor`).
    package func text(survivor: LeadDecisions?) -> String {
        var out = ""
        for merge in merges {
            let ended = merge.endedAt.map { ", unmerged \($0)" } ?? ""
            if merge.mergedLeadID == leadID {
                out +=
                    "Lead \(leadID) was merged into \(merge.survivorID) at \(merge.mergedAt) by \(merge.rule.rawValue) (\(merge.evidence))\(ended)\n"
            } else {
                out +=
                    "Lead \(merge.mergedLeadID) was merged into \(leadID) at \(merge.mergedAt) by \(merge.rule.rawValue) (\(merge.evidence))\(ended)\n"
            }
        }
        if !merges.isEmpty { out += "\n" }
        out += DecisionLedgerText.render(leadID: leadID, entries: decisions)
        if let survivor, let mergedInto {
            out += "\nIts events apply to \(mergedInto) since the merge:\n\n" + survivor.text(survivor: nil)
        }
        return out
    }
}

extension HandoffStore {
    /// The lead's decisions and merges; nil when the lead is not stored.
    package func leadDecisions(leadID: String) async throws(StoreError) -> LeadDecisions? {
        guard try await lead(id: leadID) != nil else { return nil }
        let merges = try await leadMerges(involving: leadID, includeEnded: true)
        var decisions: [DecisionLedgerEntry] = []
        for record in try await decisionLedger(leadID: leadID) { decisions.append(try record.decoded()) }
        return LeadDecisions(
            leadID: leadID, mergedInto: merges.first { $0.mergedID == leadID && $0.isStanding }?.survivorID,
            merges: merges.map(LeadDecisions.Merge.init), count: decisions.count, decisions: decisions)
    }
}
