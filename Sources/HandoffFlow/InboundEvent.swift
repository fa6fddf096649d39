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
/// {"event_id": "e-7", "type": "assign", …, "rep_id": "fay", "assigned_by": "lee@example.com", "priority": "high"}
/// {"event_id": "e-8", "type": "release", …, "rep_id": "fay", "reason": "not my territory"}
/// {"event_id": "e-9", "type": "sla_pause", …, "reason": "prospect_requested", "until": "2026-03-09T09:00:00Z"}
/// {"event_id": "e-10", "type": "sla_resume", …}
/// {"event_id": "e-11", "type": "merge", "lead_id": "L1", "merged_lead_id": "L7", "note": "merged in Salesforce"}
/// {"event_id": "e-12", "type": "unmerge", "lead_id": "L1", "merged_lead_id": "L7"}
/// {"event_id": "e-5", "type": "opportunity", …, "opportunity_id": "O1", "amount": "12500.00", "currency": "EUR", "stage": "discovery"}
/// {"event_id": "e-6", "type": "won", …, "opportunity_id": "O1", "amount": "12000.00", "close_date": "2026-04-30"}
/// ```
/// `occurred_at` is ISO 8601 with a zone (`Z` or `+02:00`), fractional seconds allowed, kept to
/// the millisecond. `lead_updated` carries `fields` too (the keys given replace the stored
/// ones). Amounts are decimal strings (or JSON numbers) in major units; they are never binary
/// floating point. `close_date` is a date (`2026-04-30`, midnight UTC) or a full timestamp;
/// `reason` is optional on `won`/`lost`, `note` on attempts and dispositions, `content` and
/// `url` on engagements.
///
/// **Integration lead events.** A `lead_created` / `lead_updated` with `"integration": "hubspot"`
/// (set by the integration routes, never accepted on `POST /events`) comes from a system that
/// sends a lead a few fields at a time: either type creates the lead when it is new and merges
/// its fields when it is stored, and the lead may stay incomplete (stored, no score, no hand-off)
/// until the model's fields are all known. See ``HandoffEngine``.
package struct InboundEvent: Sendable, Hashable {
    /// The event kinds, by their `type` value.
    package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case leadCreated = "lead_created"
        case leadUpdated = "lead_updated"
        case engagement
        case contactAttempt = "contact_attempt"
        case disposition
        case opportunity
        case won
        case lost
        /// A sales manager hands the lead to a named rep (out of the fallback queue, or from another rep).
        case assign
        /// The rep who holds the lead hands it back to the fallback queue for triage (a push
        /// alert's *Reassign to triage*): their hand-off and its first-touch clock end there.
        case release
        /// The lead's SLA clock stops, with a reason, until `until` (or an earlier `sla_resume`).
        case slaPause = "sla_pause"
        /// A paused SLA clock runs again.
        case slaResume = "sla_resume"
        /// `merged_lead_id` is the same person as this lead (the CRM merged the two): it stops
        /// being addressed on its own (see ``HandoffEngine``'s merges).
        case merge
        /// Ends the standing merge of `merged_lead_id` into this lead.
        case unmerge
    }

    /// What a `lead_created` / `lead_updated` event carries.
    package struct LeadFields: Sendable, Hashable {
        /// Raw field values by column name (text exactly as captured).
        package var fields: [String: String]
        package var source: String?
        package var campaign: String?
        /// The system the event came through (`hubspot`, `salesforce`, …); nil for Baton's own
        /// event shape. Set, the event merges into the lead whether or not it is stored, and the
        /// lead may lack the model's fields for a while (see the type's discussion).
        package var integration: String?
        /// What the sending system did, in words, when it is more than a field change (a merge,
        /// a deletion); kept in the event's journal row.
        package var note: String?
        package init(
            fields: [String: String], source: String? = nil, campaign: String? = nil, integration: String? = nil, note: String? = nil
        ) {
            self.fields = fields
            self.source = source
            self.campaign = campaign
            self.integration = integration
            self.note = note
        }
    }

    /// What an `engagement` event carries.
    package struct Engagement: Sendable, Hashable {
        /// Engagement type matched to the model's features (`webinar_attended` feeds `webinars_attended`).
        package var eventType: String
        /// Title of the content consumed, if any.
        package var content: String?
        package var url: String?
        package init(eventType: String, content: String? = nil, url: String? = nil) {
            self.eventType = eventType
            self.content = content
            self.url = url
        }
    }

    /// What a `contact_attempt` event carries.
    package struct Attempt: Sendable, Hashable {
        package var repID: String
        /// `call`, `email`, `meeting`, `social`, `sms` or `other`.
        package var channel: String
        /// `connected`, `voicemail`, `no_answer`, `sent`, `replied` or `bounced`.
        package var outcome: String
        package var note: String?
        package init(repID: String, channel: String, outcome: String, note: String? = nil) {
            self.repID = repID
            self.channel = channel
            self.outcome = outcome
            self.note = note
        }
    }

    /// What a `disposition` event carries.
    package struct DispositionBody: Sendable, Hashable {
        package var repID: String
        /// A standard code (`wrong_fit`, `no_budget`, `bad_timing`, `competitor_chosen`, `unresponsive`) or a playbook's custom one.
        package var code: String
        package var note: String?
        package init(repID: String, code: String, note: String? = nil) {
            self.repID = repID
            self.code = code
            self.note = note
        }
    }

    /// What an `assign` event carries: the rep who takes the lead, who decided it, and optionally
    /// the SLA priority (`high` / `standard`; default: the lead's current one).
    package struct Assignment: Sendable, Hashable {
        package var repID: String
        package var assignedBy: String?
        package var priority: String?
        package var note: String?
        package init(repID: String, assignedBy: String? = nil, priority: String? = nil, note: String? = nil) {
            self.repID = repID
            self.assignedBy = assignedBy
            self.priority = priority
            self.note = note
        }
    }

    /// What a `release` event carries: the rep handing the lead back, and why (optional).
    package struct Release: Sendable, Hashable {
        package var repID: String
        package var reason: String?
        package init(repID: String, reason: String? = nil) {
            self.repID = repID
            self.reason = reason
        }
    }

    /// What an `sla_pause` / `sla_resume` event carries: why (required to pause: the audit of a
    /// stopped clock, e.g. `out_of_office`, `prospect_requested`, `waiting_for_enrichment`), and
    /// for a pause its planned end (required: a resume may come sooner, never a clock stopped for good).
    package struct ClockPause: Sendable, Hashable {
        package var reason: String?
        package var until: Date?
        package init(reason: String?, until: Date? = nil) {
            self.reason = reason
            self.until = until.map(InboundEvent.truncatedToMilliseconds)
        }
    }

    /// What an `opportunity` event carries (opening it, or moving it to a new stage).
    /// What a `merge` / `unmerge` event carries.
    package struct Merge: Sendable, Hashable {
        /// The lead that is (or stops being) merged into the event's lead.
        package var mergedLeadID: String
        /// The sending system's words for it, kept in the merge's evidence.
        package var note: String?
        package init(mergedLeadID: String, note: String? = nil) {
            self.mergedLeadID = mergedLeadID
            self.note = note
        }
    }

    package struct OpportunityBody: Sendable, Hashable {
        package var opportunityID: String
        /// Expected amount in major units (≥ 0).
        package var amount: Decimal
        /// ISO 4217 code (`EUR`).
        package var currency: String
        package var stage: String
        package init(opportunityID: String, amount: Decimal, currency: String, stage: String) {
            self.opportunityID = opportunityID
            self.amount = amount
            self.currency = currency
            self.stage = stage
        }
    }

    /// What a `won` / `lost` event carries.
    package struct OutcomeBody: Sendable, Hashable {
        package var opportunityID: String
        /// Closing amount in major units (≥ 0) in the opportunity's currency.
        package var amount: Decimal
        package var closeDate: Date
        package var reason: String?
        package init(opportunityID: String, amount: Decimal, closeDate: Date, reason: String? = nil) {
            self.opportunityID = opportunityID
            self.amount = amount
            self.closeDate = closeDate
            self.reason = reason
        }
    }

    /// The type-specific part.
    package enum Body: Sendable, Hashable {
        case lead(LeadFields)
        case engagement(Engagement)
        case contactAttempt(Attempt)
        case disposition(DispositionBody)
        case assign(Assignment)
        case release(Release)
        case clock(ClockPause)
        case merge(Merge)
        case opportunity(OpportunityBody)
        case outcome(OutcomeBody)
    }

    /// The sender's id; a second delivery with the same id is a duplicate and changes nothing.
    package var eventID: String
    package var kind: Kind
    /// When it happened (millisecond precision).
    package var occurredAt: Date
    package var leadID: String
    package var body: Body

    /// Precondition: `body` fits `kind` (lead fields for the lead kinds, an outcome for won/lost, …).
    package init(eventID: String, kind: Kind, occurredAt: Date, leadID: String, body: Body) {
        precondition(Self.fits(body, kind), "the body of a \(kind.rawValue) event must match its type")
        self.eventID = eventID
        self.kind = kind
        self.occurredAt = InboundEvent.truncatedToMilliseconds(occurredAt)
        self.leadID = leadID
        self.body = body
    }

    /// The integration a lead event came through (nil for other kinds and for Baton's own shape).
    package var integration: String? {
        if case .lead(let lead) = body { return lead.integration }
        return nil
    }

    static func fits(_ body: Body, _ kind: Kind) -> Bool {
        switch (body, kind) {
        case (.lead, .leadCreated), (.lead, .leadUpdated), (.engagement, .engagement), (.contactAttempt, .contactAttempt),
            (.disposition, .disposition), (.opportunity, .opportunity), (.outcome, .won), (.outcome, .lost), (.assign, .assign),
            (.release, .release), (.clock, .slaPause), (.clock, .slaResume), (.merge, .merge), (.merge, .unmerge):
            return true
        default:
            return false
        }
    }

    /// The store keeps milliseconds; events are compared at that precision too.
    package static func truncatedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
