import Foundation

/// The decision ledger as a person reads it (`baton handoff explain`): each decision with its
/// time and source, the rules applied, every rep with the verdict and reason, and for SLA
/// transitions the business-time stretches the clock ran.
package enum DecisionLedgerText {
    package static func render(leadID: String, entries: [DecisionLedgerEntry]) -> String {
        guard !entries.isEmpty else {
            return "Lead \(leadID): no routing decision or SLA transition recorded yet (it has not been qualified for hand-off).\n"
        }
        let routings = entries.filter { $0.kind == .routing }.count
        var out = "Lead \(leadID): \(routings) routing decision(s), \(entries.count - routings) SLA transition(s)\n"
        for entry in entries {
            out += "\n\(entry.at)  \(entry.kind.rawValue)  (source \(entry.source))\n"
            out += "  \(entry.summary)\n"
            if let routing = entry.routing { out += routingLines(routing) }
            if let sla = entry.sla { out += slaLines(sla) }
        }
        return out
    }

    static func routingLines(_ routing: RoutingExplanation) -> String {
        var out = ""
        for rule in routing.rules {
            if let value = rule.value, let key = rule.key {
                out += "  rule \(rule.rule): \(rule.field) = \(value) → \(key); eligible \(rule.eligible.joined(separator: ", "))\n"
            } else {
                out += "  rule \(rule.rule): \(rule.field) missing, skipped\n"
            }
        }
        if !routing.candidates.isEmpty {
            let idWidth = routing.candidates.map(\.repID.count).max() ?? 0
            out += "  candidates:\n"
            for c in routing.candidates {
                let mark =
                    switch c.verdict {
                    case .chosen: "+"
                    case .passedOver: "~"
                    case .skipped: "-"
                    }
                let id = c.repID.padding(toLength: max(idWidth, c.repID.count), withPad: " ", startingAt: 0)
                let verdict = c.verdict.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                let reason = c.reason.padding(toLength: 15, withPad: " ", startingAt: 0)
                out += "    \(mark) \(id)  \(verdict) \(reason) \(c.detail)\n"
            }
        }
        return out
    }

    static func slaLines(_ sla: SLAExplanation) -> String {
        var out = ""
        if let deadline = sla.firstTouchDeadline {
            out += "  first touch due \(deadline)" + (sla.timeZone.map { " (business hours in \($0))" } ?? "") + "\n"
        }
        if let touched = sla.firstTouchAt { out += "  first touch at \(touched)\n" }
        for (label, segments) in [("clock ran", sla.elapsed), ("clock will run", sla.remaining)] where !segments.isEmpty {
            let parts = segments.map { "\($0.from) → \($0.to) (\(hours($0.businessSeconds)) h)" }
            out += "  \(label): \(parts.joined(separator: "; "))\n"
        }
        return out
    }

    static func hours(_ seconds: Double) -> String { String(format: "%.2f", seconds / 3600) }
}
