import Foundation

/// An SLA event that the state machine cannot accept. The state is left unchanged.
package enum SLAError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownPolicy(name: String, known: [String])
    case unknownRep(id: String, leadID: String)
    /// A contact attempt or disposition for a lead that was never handed off.
    case notHandedOff(leadID: String, event: String)
    /// Any event after the lead was dispositioned.
    case alreadyClosed(leadID: String, code: String, event: String)
    /// An event earlier than one already applied.
    case outOfOrder(leadID: String, at: Date, last: Date)
    case disposition(leadID: String, DispositionError)
    /// A pause whose planned end is not after its start.
    case pauseEndsBeforeItStarts(leadID: String, until: Date, at: Date)
    /// A resume while the clock runs.
    case notPaused(leadID: String)

    package var description: String {
        switch self {
        case .unknownPolicy(let name, let known):
            return "no SLA policy named `\(name)`; known: \(known.joined(separator: ", ")) (define it under `sla.policies`)"
        case .unknownRep(let id, let leadID):
            return "lead \(leadID): rep `\(id)` is not in the roster; add them under `reps:` or fix the rep id"
        case .notHandedOff(let leadID, let event):
            return "lead \(leadID): \(event) before the lead was handed off; replay its hand-off first"
        case .alreadyClosed(let leadID, let code, let event):
            return "lead \(leadID): \(event) after it was closed as `\(code)`; hand it off again to reopen it"
        case .outOfOrder(let leadID, let at, let last):
            return "lead \(leadID): event at \(at) is earlier than the last accepted one at \(last); sort the events by time"
        case .disposition(let leadID, let error):
            return "lead \(leadID): \(error)"
        case .pauseEndsBeforeItStarts(let leadID, let until, let at):
            return
                "lead \(leadID): the pause would end at \(until), not after it starts (\(at)); give `until` a later time, or leave it out and resume with sla_resume"
        case .notPaused(let leadID):
            return "lead \(leadID): its SLA clock is not paused; nothing to resume"
        }
    }
}
