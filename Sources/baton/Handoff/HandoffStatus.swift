import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules

/// Open hand-offs per rep and their SLA state, read from a store (`baton handoff status`).
package struct HandoffStatus: Sendable, Hashable, Codable {
    /// One open hand-off.
    package struct Row: Sendable, Hashable, Codable {
        package let leadID: String
        /// Rep id, or `queue:NAME` for the fallback queue.
        package let holder: String
        package let assignedAt: String
        package let stage: QualificationStage?
        package let priority: HandoffPriority?
        package let policy: String?
        /// `running`, `breached`, `met`, `cancelled`, or nil when no timer runs (fallback queue).
        package let slaState: SLATimerState?
        /// Next SLA step (deadline or escalation) while the timer is open.
        package let nextDue: String?
        package let escalationStep: Int
        package let attempts: Int

        enum CodingKeys: String, CodingKey {
            case stage, priority, policy, attempts, holder
            case leadID = "lead_id"
            case assignedAt = "assigned_at"
            case slaState = "sla_state"
            case nextDue = "next_due"
            case escalationStep = "escalation_step"
        }
    }

    /// Totals per holder.
    package struct HolderTotals: Sendable, Hashable, Codable {
        package let holder: String
        package let open: Int
        package let breached: Int
    }

    package let handoffs: [Row]
    package let holders: [HolderTotals]
    /// Breached timers over all leads (open or not), and SLA timers still open.
    package let breachedTimers: Int
    package let openTimers: Int

    enum CodingKeys: String, CodingKey {
        case handoffs, holders
        case breachedTimers = "breached_timers"
        case openTimers = "open_timers"
    }

    /// Reads the store.
    package static func load(from store: any HandoffStore) async throws(StoreError) -> HandoffStatus {
        let open = try await store.openHandoffs(repID: nil)
        var rows: [Row] = []
        for handoff in open {
            let holder: String
            switch handoff.assignment.target {
            case .rep(let id): holder = id
            case .fallbackQueue(let name): holder = "queue:\(name)"
            }
            let timer = handoff.openTimers.first
            rows.append(
                Row(
                    leadID: handoff.lead.id, holder: holder, assignedAt: EventTime.format(handoff.assignment.assignedAt),
                    stage: handoff.latestDecision?.stage, priority: handoff.latestDecision?.priority,
                    policy: timer?.policy, slaState: timer?.state, nextDue: timer.map { EventTime.format($0.dueAt) },
                    escalationStep: timer?.escalationStep ?? 0, attempts: handoff.attemptsSinceAssigned))
        }
        rows.sort { ($0.holder, $0.assignedAt, $0.leadID) < ($1.holder, $1.assignedAt, $1.leadID) }
        var totals: [String: (Int, Int)] = [:]
        for row in rows {
            totals[row.holder, default: (0, 0)].0 += 1
            if row.slaState == .breached { totals[row.holder, default: (0, 0)].1 += 1 }
        }
        let counts = try await store.timersDue(before: .distantFuture, limit: Int.max / 2)
        let all = try await store.activity(in: ReportPeriod(start: .distantPast, end: .distantFuture)).timers
        return HandoffStatus(
            handoffs: rows,
            holders: totals.keys.sorted().map { HolderTotals(holder: $0, open: totals[$0]?.0 ?? 0, breached: totals[$0]?.1 ?? 0) },
            breachedTimers: all.filter { $0.escalationStep > 0 || $0.state == .breached }.count,
            openTimers: counts.count)
    }

    /// A fixed-width table: totals per rep, then one line per open hand-off.
    package var table: String {
        var out = "open hand-offs: \(handoffs.count); open SLA timers: \(openTimers); timers that breached: \(breachedTimers)\n\n"
        out += pad(["holder", "open", "breached"], [24, 6, 8]) + "\n"
        for h in holders { out += pad([h.holder, String(h.open), String(h.breached)], [24, 6, 8]) + "\n" }
        out += "\n"
        let widths = [14, 22, 21, 8, 9, 9, 21, 4, 8]
        out += pad(["lead", "holder", "assigned", "stage", "priority", "sla", "next due", "esc", "attempts"], widths) + "\n"
        for r in handoffs {
            out +=
                pad(
                    [
                        r.leadID, r.holder, r.assignedAt, r.stage?.rawValue ?? "-", r.priority?.rawValue ?? "-", r.slaState?.rawValue ?? "-",
                        r.nextDue ?? "-",
                        String(r.escalationStep), String(r.attempts),
                    ], widths) + "\n"
        }
        return out
    }

    private func pad(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { cell, width in
            cell.count >= width ? cell : cell + String(repeating: " ", count: width - cell.count)
        }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}
