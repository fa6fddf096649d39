import Foundation

/// The recommended conversation approach: rules over the stage, the reasons, the events and the
/// lead's own words, each adding one line when it applies, in this order:
///
/// 1. Stage: SQL → book the meeting on the first call (naming the deciding rule); MQL → discovery
///    first; nurture → no call, keep nurturing.
/// 2. A demo request (an event or field feeding `demo_requests`) → confirm a demo slot.
/// 3. Pricing-page views → be ready for packaging and price.
/// 4. The strongest negative reason: `budget_authority` → find the economic buyer;
///    `purchase_timeline` → qualify timing; any other → address that gap.
/// 5. The strongest positive reason → open with it.
/// 6. Content consumed → reference the latest piece.
/// 7. Pain points → lead with the first one.
/// 8. `current_solution` field present and not `none` → prepare a comparison.
/// 9. High priority → first touch before the SLA deadline.
package enum ConversationApproach {
    static func lines(
        lead: Lead, score: LeadScore, decision: QualificationDecision, events: [EngagementEvent],
        contentConsumed: [String], painPoints: [String], slaDeadline: String
    ) -> [String] {
        var lines: [String] = []
        switch decision.stage {
        case .sql:
            lines.append("Sales-qualified (rule \(decision.decidingRule ?? "-")): aim to book a meeting on the first call.")
        case .mql:
            lines.append(
                "Marketing-qualified (rule \(decision.decidingRule ?? "-")): start with discovery, confirm need and timing before proposing a meeting."
            )
        case .nurture:
            lines.append("Not qualified yet: keep nurturing; no sales call needed.")
        }
        func count(_ column: String) -> Double {
            let fromEvents = Double(EngagementDecay.matchingEvents(events, column: column, at: .distantFuture).count)
            let fromField = lead.fields[column].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? 0
            return max(fromEvents, fromField)
        }
        if count("demo_requests") >= 1 {
            lines.append("They asked for a demo: confirm a demo slot on the first call.")
        }
        if count("pricing_page_views") >= 1 {
            lines.append("They looked at pricing: be ready to discuss packaging and price.")
        }
        if let worst = score.reasons.filter({ $0.points < 0 }).min(by: { $0.points < $1.points }) {
            switch worst.column {
            case "budget_authority":
                lines.append("Budget authority is '\(worst.value)': ask who signs off and bring the economic buyer in early.")
            case "purchase_timeline":
                lines.append("Purchase timeline is '\(worst.value)': qualify timing and keep it a discovery conversation, not a close.")
            default:
                lines.append("Biggest gap: \(worst.text); address it early.")
            }
        }
        if let best = score.reasons.filter({ $0.points > 0 }).max(by: { $0.points < $1.points }) {
            lines.append("Open with their strongest signal: \(best.text).")
        }
        if let latest = contentConsumed.last {
            lines.append("Reference what they read most recently: \"\(latest)\".")
        }
        if let pain = painPoints.first {
            lines.append("Lead with their stated pain: \(pain).")
        }
        if let current = lead.fields["current_solution"]?.trimmingCharacters(in: .whitespaces), !current.isEmpty,
            current.lowercased() != "none"
        {
            lines.append("They use '\(current)' today: prepare a comparison.")
        }
        if decision.priority == .high {
            lines.append("High priority: first touch before \(slaDeadline).")
        }
        return lines
    }
}
