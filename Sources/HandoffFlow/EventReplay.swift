import Foundation
import HandoffPersistence
import HandoffRules

/// Replays an event log through an engine on simulated time.
///
/// Events are applied in file order (the order they were delivered). Simulated time is the
/// latest `occurred_at` seen so far; before each event that moves it forward, SLA timers due
/// strictly before the event's instant fire, each at its own due time (a touch exactly at a
/// deadline is on time). After the last event, timers due up to the last instant fire. A
/// rejected event is reported with its line, id and reason; replay stops there unless
/// `continueOnError`, and everything accepted before stays stored.
package enum EventReplay {
    /// - Parameter progress: told the number of entries handled after each one (the CLI shows it on a terminal).
    package static func run(
        _ entries: [EventLog.Entry], engine: HandoffEngine, continueOnError: Bool, progress: (Int) -> Void = { _ in }
    ) async throws(EngineError) -> ReplaySummary {
        var summary = ReplaySummary()
        var clock: Date?
        var handled = 0
        replay: for entry in entries {
            defer {
                handled += 1
                progress(handled)
            }
            let event: InboundEvent
            switch entry.event {
            case .failure(let problem):
                summary.rejected.append(.init(line: entry.line, eventID: problem.eventID, reason: problem.description))
                if continueOnError { continue } else { break replay }
            case .success(let e):
                event = e
            }
            if clock.map({ event.occurredAt > $0 }) ?? true {
                let before = Date(timeIntervalSince1970: event.occurredAt.timeIntervalSince1970 - 0.001)
                summary.count(try await engine.tick(at: before))
                clock = event.occurredAt
            }
            do {
                let result = try await engine.apply(event)
                switch result.status {
                case .applied:
                    summary.applied += 1
                    summary.eventsByType[event.kind.rawValue, default: 0] += 1
                case .duplicate:
                    summary.duplicates += 1
                }
                summary.count(result.effects)
            } catch {
                if case .store(nil, _) = error { throw error }
                summary.rejected.append(.init(line: entry.line, eventID: event.eventID, reason: error.description))
                if !continueOnError { break replay }
            }
        }
        if let clock { summary.count(try await engine.tick(at: clock)) }
        return summary
    }
}

/// What a replay did.
package struct ReplaySummary: Sendable, Hashable, Codable {
    package struct Rejection: Sendable, Hashable, Codable {
        package let line: Int
        package let eventID: String?
        package let reason: String
        enum CodingKeys: String, CodingKey {
            case line, reason
            case eventID = "event_id"
        }
    }

    package var applied = 0
    package var duplicates = 0
    package var rejected: [Rejection] = []
    /// Applied events per `type`.
    package var eventsByType: [String: Int] = [:]
    /// Leads handed off to a rep (reassignments included).
    package var handoffs = 0
    /// Leads parked in the fallback queue.
    package var queued = 0
    /// SLA breaches recorded (first touch and attempt cadence).
    package var breaches = 0
    /// Escalation steps fired: reminders, manager notifications, reassignments.
    package var reminders = 0
    package var managerNotifications = 0
    package var reassignments = 0
    package var firstTouchesWithinSLA = 0
    package var firstTouchesLate = 0
    /// Attempts by a rep who did not own the lead (they do not stop the owner's clock).
    package var assists = 0
    /// Escalation steps voided because a first touch made before them arrived late (CRM lag),
    /// and reassignments undone for the same reason.
    package var voidedEscalations = 0
    package var voidedReassignments = 0
    /// Leads a sales manager assigned by hand (`assign` events).
    package var assignedByHand = 0
    /// Leads their rep handed back to the fallback queue (`release` events).
    package var handedBack = 0
    /// Leads merged into another (second form fills of a stored person, CRM merges).
    package var merges = 0
    package var closed = 0

    package init() {}

    package var escalations: Int { reminders + managerNotifications + reassignments }

    package mutating func count(_ effects: [EngineEffect]) {
        for effect in effects {
            switch effect.kind {
            case .handedOff: handoffs += 1
            case .queued: queued += 1
            case .breach: breaches += 1
            case .reminder: reminders += 1
            case .managerNotified: managerNotifications += 1
            case .reassigned: reassignments += 1
            case .firstTouch(_, _, let within): if within { firstTouchesWithinSLA += 1 } else { firstTouchesLate += 1 }
            case .assist: assists += 1
            case .escalationVoided: voidedEscalations += 1
            case .reassignmentVoided: voidedReassignments += 1
            case .closed: closed += 1
            case .assignedByHand: assignedByHand += 1
            case .handedBack: handedBack += 1
            case .merged: merges += 1
            case .qualified, .unmerged, .returnToNurtureAllowed, .slaPaused, .slaResumed: break
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case applied, duplicates, rejected, handoffs, queued, breaches, reminders, reassignments, closed, assists, merges
        case eventsByType = "events_by_type"
        case managerNotifications = "manager_notifications"
        case firstTouchesWithinSLA = "first_touches_within_sla"
        case firstTouchesLate = "first_touches_late"
        case voidedEscalations = "voided_escalations"
        case voidedReassignments = "voided_reassignments"
        case assignedByHand = "assigned_by_hand"
        case handedBack = "handed_back"
    }

    /// Plain-text summary for the terminal.
    package var text: String {
        var lines = ["events applied: \(applied)", "duplicates (retried ids, ignored): \(duplicates)", "rejected: \(rejected.count)"]
        for r in rejected { lines.append("  line \(r.line)\(r.eventID.map { " (\($0))" } ?? ""): \(r.reason)") }
        lines.append("by type: " + eventsByType.keys.sorted().map { "\($0) \(eventsByType[$0] ?? 0)" }.joined(separator: ", "))
        lines.append(
            "hand-offs: \(handoffs) (fallback queue: \(queued)\(assignedByHand > 0 ? ", assigned by hand: \(assignedByHand)" : "")\(handedBack > 0 ? ", handed back to the queue: \(handedBack)" : ""))"
        )
        lines.append(
            "first touches: \(firstTouchesWithinSLA) within SLA, \(firstTouchesLate) late"
                + (assists > 0 ? " (assists by other reps: \(assists))" : ""))
        lines.append("SLA breaches: \(breaches)")
        lines.append(
            "escalations: \(escalations) (reminders \(reminders), manager notifications \(managerNotifications), reassignments \(reassignments))"
                + (voidedEscalations > 0
                    ? "; \(voidedEscalations) voided by touches that arrived late (\(voidedReassignments) reassignments undone)" : ""))
        lines.append("closed: \(closed)")
        return lines.joined(separator: "\n")
    }
}
