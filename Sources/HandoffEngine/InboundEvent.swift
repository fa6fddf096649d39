import Foundation

/// One event from a marketing-automation platform or a CRM, as the hand-off engine accepts it
/// (from an event log, and later from the service's webhooks).
///
/// JSON shape (snake_case keys; type-specific keys beside the common ones):
/// ```json
/// {"event_id": "e-1", "type": "lead_created", "occurred_at": "2026-03-02T14:05:00Z", "lead_id": "L1",
///  "fields": {"company_size": "201-1000", "region": "emea"}, "source": "referral", "campaign": "spring"}
/// {"event_id": "e-2", "type": "engagement", "occurred_at": "…", "lead_id": "L1",
///  "event_type": "webinar_attended", "content": "Scaling hand-offs"}
/// {"event_id": "e-3", "type": "contact_attempt", …, "rep_id": "ana", "channel": "call", "outcome": "voicemail"}
/// {"event_id": "e-4", "type": "disposition", …, "rep_id": "ana", "code": "bad_timing", "note": "budget in Q3"}
/// {"event_id": "e-5", "type": "opportunity", …, "opportunity_id": "O1", "amount": "12500.00", "currency": "EUR", "stage": "discovery"}
/// {"event_id": "e-6", "type": "won", …, "opportunity_id": "O1", "amount": "12000.00", "close_date": "2026-04-30"}
/// ```
/// `occurred_at` is ISO 8601 with a zone (`Z` or `+02:00`), fractional seconds allowed, kept to
/// the millisecond. `lead_updated` carries `fields` too (the keys given replace the stored
/// ones). Amounts are decimal strings (or JSON numbers) in major units; they are never binary
/// floating point. `close_date` is a date (`2026-04-30`, midnight UTC) or a full timestamp;
/// `reason` is optional on `won`/`lost`, `note` on attempts and dispositions, `content` and
/// `url` on engagements.
public struct InboundEvent: Sendable, Hashable {
    /// The event kinds, by their `type` value.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case leadCreated = "lead_created"
        case leadUpdated = "lead_updated"
        case engagement
        case contactAttempt = "contact_attempt"
        case disposition
        case opportunity
        case won
        case lost
    }

    /// What a `lead_created` / `lead_updated` event carries.
    public struct LeadFields: Sendable, Hashable {
        /// Raw field values by column name (text exactly as captured).
        public var fields: [String: String]
        public var source: String?
        public var campaign: String?
        public init(fields: [String: String], source: String? = nil, campaign: String? = nil) {
            self.fields = fields
            self.source = source
            self.campaign = campaign
        }
    }

    /// What an `engagement` event carries.
    public struct Engagement: Sendable, Hashable {
        /// Engagement type matched to the model's features (`webinar_attended` feeds `webinars_attended`).
        public var eventType: String
        /// Title of the content consumed, if any.
        public var content: String?
        public var url: String?
        public init(eventType: String, content: String? = nil, url: String? = nil) {
            self.eventType = eventType
            self.content = content
            self.url = url
        }
    }

    /// What a `contact_attempt` event carries.
    public struct Attempt: Sendable, Hashable {
        public var repID: String
        /// `call`, `email`, `meeting`, `social`, `sms` or `other`.
        public var channel: String
        /// `connected`, `voicemail`, `no_answer`, `sent`, `replied` or `bounced`.
        public var outcome: String
        public var note: String?
        public init(repID: String, channel: String, outcome: String, note: String? = nil) {
            self.repID = repID
            self.channel = channel
            self.outcome = outcome
            self.note = note
        }
    }

    /// What a `disposition` event carries.
    public struct DispositionBody: Sendable, Hashable {
        public var repID: String
        /// A standard code (`wrong_fit`, `no_budget`, `bad_timing`, `competitor_chosen`, `unresponsive`) or a playbook's custom one.
        public var code: String
        public var note: String?
        public init(repID: String, code: String, note: String? = nil) {
            self.repID = repID
            self.code = code
            self.note = note
        }
    }

    /// What an `opportunity` event carries (opening it, or moving it to a new stage).
    public struct OpportunityBody: Sendable, Hashable {
        public var opportunityID: String
        /// Expected amount in major units (≥ 0).
        public var amount: Decimal
        /// ISO 4217 code (`EUR`).
        public var currency: String
        public var stage: String
        public init(opportunityID: String, amount: Decimal, currency: String, stage: String) {
            self.opportunityID = opportunityID
            self.amount = amount
            self.currency = currency
            self.stage = stage
        }
    }

    /// What a `won` / `lost` event carries.
    public struct OutcomeBody: Sendable, Hashable {
        public var opportunityID: String
        /// Closing amount in major units (≥ 0) in the opportunity's currency.
        public var amount: Decimal
        public var closeDate: Date
        public var reason: String?
        public init(opportunityID: String, amount: Decimal, closeDate: Date, reason: String? = nil) {
            self.opportunityID = opportunityID
            self.amount = amount
            self.closeDate = closeDate
            self.reason = reason
        }
    }

    /// The type-specific part.
    public enum Body: Sendable, Hashable {
        case lead(LeadFields)
        case engagement(Engagement)
        case contactAttempt(Attempt)
        case disposition(DispositionBody)
        case opportunity(OpportunityBody)
        case outcome(OutcomeBody)
    }

    /// The sender's id; a second delivery with the same id is a duplicate and changes nothing.
    public var eventID: String
    public var kind: Kind
    /// When it happened (millisecond precision).
    public var occurredAt: Date
    public var leadID: String
    public var body: Body

    /// Precondition: `body` fits `kind` (lead fields for the lead kinds, an outcome for won/lost, …).
    public init(eventID: String, kind: Kind, occurredAt: Date, leadID: String, body: Body) {
        precondition(Self.fits(body, kind), "the body of a \(kind.rawValue) event must match its type")
        self.eventID = eventID
        self.kind = kind
        self.occurredAt = InboundEvent.truncatedToMilliseconds(occurredAt)
        self.leadID = leadID
        self.body = body
    }

    static func fits(_ body: Body, _ kind: Kind) -> Bool {
        switch (body, kind) {
        case (.lead, .leadCreated), (.lead, .leadUpdated), (.engagement, .engagement), (.contactAttempt, .contactAttempt),
             (.disposition, .disposition), (.opportunity, .opportunity), (.outcome, .won), (.outcome, .lost):
            return true
        default:
            return false
        }
    }

    /// The store keeps milliseconds; events are compared at that precision too.
    static func truncatedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
