import Foundation
import HandoffPersistence
import HandoffRules

/// Why the engine refused an event (or could not start). Every event case names the event id;
/// the refused event's unit of work is rolled back whole and events accepted earlier stay stored.
package enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The playbook cannot drive the flow (missing section, a field no lead can carry, …).
    case playbook(PlaybookError)
    /// The weight file cannot be used.
    case model(ScoringError)
    /// A `lead_updated`, engagement, attempt, disposition, opportunity or outcome for a lead that is not stored.
    case unknownLead(eventID: String, leadID: String, type: String)
    /// The store holds this event id already, with other content (another lead, type, time or
    /// fields): event ids are unique across the store, and a reused one is a conflict, not a retry.
    case eventIDReused(eventID: String, leadID: String, storedLeadID: String, storedType: String)
    /// A second `lead_created` (with a new event id) for a stored lead.
    case leadAlreadyExists(eventID: String, leadID: String)
    /// `rep_id` names nobody on the playbook's roster.
    case unknownRep(eventID: String, repID: String, field: String, known: [String])
    /// The event is older than the lead's latest accepted event (see ``HandoffEngine`` for which kinds this applies to).
    case outOfOrder(eventID: String, leadID: String, occurredAt: Date, latest: Date, latestEventID: String)
    /// The lead lacks fields the weight file's terms need (all listed).
    case missingFields(eventID: String, leadID: String, fields: [String])
    /// A lead field value the weight file cannot encode.
    case badValue(eventID: String, leadID: String, detail: String)
    /// A field of the event itself is wrong (unknown channel, amount with too many decimals, a reserved engagement type, …).
    case invalidField(eventID: String, field: String, problem: String)
    /// The SLA machine refused it (attempt after the disposition, `unresponsive` before the minimum attempts, unknown code).
    case sla(eventID: String, SLAError)
    /// The closed loop refused it (unknown or closed opportunity, opportunity of another lead, closing before opening).
    case opportunity(eventID: String, problem: String)
    /// The store refused the unit of work (nothing of it was written).
    case store(eventID: String?, StoreError)

    package var description: String {
        func at(_ date: Date) -> String { EventTime.format(date) }
        switch self {
        case .playbook(let error):
            return error.description
        case .model(let error):
            return error.description
        case let .unknownLead(id, lead, type):
            return
                "event \(id) (\(type)): lead '\(lead)' is not stored. Send its lead_created event first (events for a lead must follow its creation)."
        case let .eventIDReused(id, lead, storedLead, storedType):
            let other = storedLead == lead ? "with other content" : "for lead '\(storedLead)'"
            return
                "event \(id): this event_id is already stored (a \(storedType) event \(other)); event ids are unique across the store. A retry must resend the same event unchanged; a new event needs a new event_id."
        case let .leadAlreadyExists(id, lead):
            return "event \(id): lead '\(lead)' already exists. Send a lead_updated event to change its fields, or give the new lead its own lead_id."
        case let .unknownRep(id, rep, field, known):
            return
                "event \(id): field \(field) names rep '\(rep)', who is not on the playbook's roster (\(known.joined(separator: ", "))). Add the rep under `reps:` or fix the id."
        case let .outOfOrder(id, lead, occurred, latest, latestID):
            return
                "event \(id): occurred_at \(at(occurred)) is earlier than lead '\(lead)''s latest accepted event \(latestID) at \(at(latest)). Sort the log by occurred_at per lead, or correct the time."
        case let .missingFields(id, lead, fields):
            let list = fields.map { "\"\($0)\"" }.joined(separator: ", ")
            return
                "event \(id): lead '\(lead)' lacks \(fields.count == 1 ? "field" : "fields") \(list) that the weight file's terms need. Send them in lead_created/lead_updated `fields` (or score with a model that does not use them)."
        case let .badValue(id, lead, detail):
            return "event \(id): lead '\(lead)': \(detail)"
        case let .invalidField(id, field, problem):
            return "event \(id): field \(field) \(problem)."
        case let .sla(id, error):
            return "event \(id): \(error)"
        case let .opportunity(id, problem):
            return "event \(id): \(problem)"
        case let .store(id, error):
            return "\(id.map { "event \($0): " } ?? "")\(error.description)"
        }
    }

    /// The event id the error is about, if it is about one.
    package var eventID: String? {
        switch self {
        case .playbook, .model: nil
        case let .unknownLead(id, _, _), let .leadAlreadyExists(id, _), let .eventIDReused(id, _, _, _), let .unknownRep(id, _, _, _),
            let .outOfOrder(id, _, _, _, _), let .missingFields(id, _, _), let .badValue(id, _, _),
            let .invalidField(id, _, _), let .sla(id, _), let .opportunity(id, _):
            id
        case let .store(id, _): id
        }
    }
}
