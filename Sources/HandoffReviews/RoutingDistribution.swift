import Foundation
import HandoffRules

/// Why the distribution is uneven (issue 16): for the period's routing decisions, each rep's
/// share of the leads the router placed against their weight's share, and what kept them from
/// more: how often they lost the round-robin turn (`passed_over`) and every skip reason with its
/// count (`capacity`, `out_of_office`, `territory`, `working_hours`, …). Leads the account-aware
/// rules placed are counted apart. Assignments by hand, hand-backs and restored hand-offs are not
/// the router's and are left out.
package struct RoutingDistribution: Sendable, Equatable {
    package struct Row: Sendable, Equatable {
        package let repID: String
        /// The rep's weight and its share of the roster's total (active reps of the latest decision).
        package let weight: Int
        package let weightShare: Double
        /// Leads the router gave the rep: by the rules and round-robin, and by `account_owner` / `sticky`.
        package let byRoundRobin: Int
        package let byAccountRule: Int
        /// Turns the rep took part in and lost.
        package let passedOver: Int
        /// Decisions in which the rep was skipped, by reason code.
        package let skipped: [String: Int]

        package var assigned: Int { byRoundRobin + byAccountRule }
    }

    /// Router decisions that placed a lead with a rep, and that parked one in a queue.
    package let assigned: Int
    package let queued: Int
    /// Reps in roster order.
    package let rows: [Row]

    /// A rep's share of the period's assigned leads (nil when none was assigned).
    package func share(_ row: Row) -> Double? { assigned == 0 ? nil : Double(row.assigned) / Double(assigned) }

    package static func compute(_ decisions: [RoutingExplanation]) -> RoutingDistribution {
        let routed = decisions.filter { $0.method == .router }
        var order: [String] = []
        var weights: [String: Int] = [:]
        var active = Set<String>()
        var roundRobin: [String: Int] = [:], accountRule: [String: Int] = [:], passed: [String: Int] = [:]
        var skipped: [String: [String: Int]] = [:]
        for decision in routed {
            // The latest decision's roster gives the weights; `left` reps are not in the share.
            active = Set(decision.candidates.filter { $0.reason != "left" }.map(\.repID))
            for candidate in decision.candidates {
                if !order.contains(candidate.repID) { order.append(candidate.repID) }
                weights[candidate.repID] = candidate.weight
                switch candidate.verdict {
                case .chosen:
                    if ["account_owner", "sticky"].contains(candidate.reason) {
                        accountRule[candidate.repID, default: 0] += 1
                    } else {
                        roundRobin[candidate.repID, default: 0] += 1
                    }
                case .passedOver:
                    passed[candidate.repID, default: 0] += 1
                case .skipped:
                    skipped[candidate.repID, default: [:]][candidate.reason, default: 0] += 1
                }
            }
        }
        let total = active.reduce(0) { $0 + (weights[$1] ?? 0) }
        let rows = order.map { rep in
            Row(
                repID: rep, weight: weights[rep] ?? 0,
                weightShare: active.contains(rep) && total > 0 ? Double(weights[rep] ?? 0) / Double(total) : 0,
                byRoundRobin: roundRobin[rep] ?? 0, byAccountRule: accountRule[rep] ?? 0, passedOver: passed[rep] ?? 0,
                skipped: skipped[rep] ?? [:])
        }
        return RoutingDistribution(
            assigned: routed.filter { $0.outcome == "assigned" }.count, queued: routed.filter { $0.outcome == "queued" }.count, rows: rows)
    }
}
