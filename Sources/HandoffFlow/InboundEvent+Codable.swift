import BatonSupport
import Foundation

extension InboundEvent: Codable {
    enum Keys: String, CodingKey {
        case eventID = "event_id", type, occurredAt = "occurred_at", leadID = "lead_id"
        case fields, source, campaign
        case eventType = "event_type", content, url
        case repID = "rep_id", channel, outcome, note
        case code
        case opportunityID = "opportunity_id", amount, currency, stage
        case closeDate = "close_date", reason
        case assignedBy = "assigned_by", priority
        case integration
        case until
        case mergedLeadID = "merged_lead_id"
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let id = try Self.id(c, .eventID)
        let typeText = try Self.text(c, .type)
        guard let kind = Kind(rawValue: typeText) else {
            throw c.bad(.type, "`\(typeText)` is not an event type; use one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // Every member the schema knows has its type whatever the event type reads, so a
        // `note: {}` on a won event is refused rather than ignored (the OpenAPI document says so).
        let nullable: Set<Keys> = [.source, .campaign, .content, .url, .note, .reason]
        for key in [
            Keys.source, .campaign, .eventType, .content, .url, .repID, .channel, .outcome, .note, .code, .opportunityID, .currency, .stage,
            .closeDate, .reason, .assignedBy, .priority, .integration, .mergedLeadID,
        ]
        where c.contains(key) {
            if nullable.contains(key), (try? c.decodeNil(forKey: key)) == true { continue }
            guard let text = try? c.decode(String.self, forKey: key) else { throw c.bad(key, "must be a text value") }
            if key == .priority, !["high", "standard"].contains(text.trimmingCharacters(in: .whitespaces)) {
                throw c.bad(.priority, "`\(text)` is not a priority; use high or standard (or leave it out to keep the lead's)")
            }
            if key == .repID || key == .opportunityID || key == .assignedBy || key == .integration || key == .mergedLeadID,
                let problem = Identifier.problem(text.trimmingCharacters(in: .whitespaces))
            {
                throw c.bad(key, problem)
            }
        }
        if c.contains(.amount), (try? c.decode(String.self, forKey: .amount)) == nil, (try? c.decode(Double.self, forKey: .amount)) == nil {
            throw c.bad(.amount, "must be a decimal amount such as \"12500.00\"")
        }
        if c.contains(.fields), (try? c.decodeNil(forKey: .fields)) != true, (try? c.decode([String: FieldValue].self, forKey: .fields)) == nil {
            throw c.bad(.fields, "must be an object of the lead's values (text, numbers, true/false or null)")
        }
        let occurred = try Self.date(c, .occurredAt)
        let lead = try Self.id(c, .leadID)
        let body: Body
        switch kind {
        case .leadCreated, .leadUpdated:
            let raw = try c.decodeIfPresent([String: FieldValue].self, forKey: .fields) ?? [:]
            if kind == .leadCreated && !c.contains(.fields) {
                throw c.bad(.fields, "a lead_created event needs `fields` (an object of the lead's values)")
            }
            body = .lead(
                LeadFields(
                    fields: raw.compactMapValues(\.text), source: try c.decodeIfPresent(String.self, forKey: .source),
                    campaign: try c.decodeIfPresent(String.self, forKey: .campaign),
                    integration: try c.decodeIfPresent(String.self, forKey: .integration)?.trimmingCharacters(in: .whitespaces),
                    note: try c.decodeIfPresent(String.self, forKey: .note)))
        case .engagement:
            body = .engagement(
                Engagement(
                    eventType: try Self.text(c, .eventType),
                    content: try c.decodeIfPresent(String.self, forKey: .content),
                    url: try c.decodeIfPresent(String.self, forKey: .url)))
        case .contactAttempt:
            body = .contactAttempt(
                Attempt(
                    repID: try Self.id(c, .repID), channel: try Self.text(c, .channel),
                    outcome: try Self.text(c, .outcome),
                    note: try c.decodeIfPresent(String.self, forKey: .note)))
        case .disposition:
            body = .disposition(
                DispositionBody(
                    repID: try Self.id(c, .repID), code: try Self.text(c, .code),
                    note: try c.decodeIfPresent(String.self, forKey: .note)))
        case .assign:
            let priority = try c.decodeIfPresent(String.self, forKey: .priority)?.trimmingCharacters(in: .whitespaces)
            if let priority, !["high", "standard"].contains(priority) {
                throw c.bad(.priority, "`\(priority)` is not a priority; use high or standard (or leave it out to keep the lead's)")
            }
            body = .assign(
                Assignment(
                    repID: try Self.id(c, .repID),
                    assignedBy: try c.decodeIfPresent(String.self, forKey: .assignedBy)?.trimmingCharacters(in: .whitespaces),
                    priority: priority, note: try c.decodeIfPresent(String.self, forKey: .note)))
        case .slaPause, .slaResume:
            let reason = try c.decodeIfPresent(String.self, forKey: .reason)?.trimmingCharacters(in: .whitespaces)
            if kind == .slaPause {
                guard let reason, !reason.isEmpty else {
                    throw c.bad(
                        .reason, "a pause needs its reason (e.g. out_of_office, prospect_requested, waiting_for_enrichment): it is the clock's audit")
                }
                guard reason.count <= 200, !reason.contains(where: { $0.isNewline }) else {
                    throw c.bad(.reason, "must be one line of at most 200 characters")
                }
            }
            let until: Date? = c.contains(.until) && (try? c.decodeNil(forKey: .until)) != true ? try Self.date(c, .until) : nil
            if kind == .slaResume, until != nil { throw c.bad(.until, "is for sla_pause; a resume takes effect at its occurred_at") }
            if kind == .slaPause, until == nil {
                throw c.bad(
                    .until, "a pause needs its planned end (RFC 3339, e.g. the date the prospect asked to be called); end it sooner with sla_resume")
            }
            body = .clock(ClockPause(reason: reason, until: until))
        case .merge, .unmerge:
            // A pair of one lead is refused by the flow (422, the field named), not here: the shape is valid.
            body = .merge(Merge(mergedLeadID: try Self.id(c, .mergedLeadID), note: try c.decodeIfPresent(String.self, forKey: .note)))
        case .release:
            body = .release(Release(repID: try Self.id(c, .repID), reason: try c.decodeIfPresent(String.self, forKey: .reason)))
        case .opportunity:
            body = .opportunity(
                OpportunityBody(
                    opportunityID: try Self.id(c, .opportunityID), amount: try Self.amount(c, .amount),
                    currency: try Self.text(c, .currency), stage: try Self.text(c, .stage)))
        case .won, .lost:
            body = .outcome(
                OutcomeBody(
                    opportunityID: try Self.id(c, .opportunityID), amount: try Self.amount(c, .amount),
                    closeDate: try Self.date(c, .closeDate, dateOnlyAllowed: true),
                    reason: try c.decodeIfPresent(String.self, forKey: .reason)))
        }
        self.init(eventID: id, kind: kind, occurredAt: occurred, leadID: lead, body: body)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(eventID, forKey: .eventID)
        try c.encode(kind.rawValue, forKey: .type)
        try c.encode(EventTime.format(occurredAt), forKey: .occurredAt)
        try c.encode(leadID, forKey: .leadID)
        switch body {
        case .lead(let lead):
            try c.encode(lead.fields, forKey: .fields)
            try c.encodeIfPresent(lead.source, forKey: .source)
            try c.encodeIfPresent(lead.campaign, forKey: .campaign)
            try c.encodeIfPresent(lead.integration, forKey: .integration)
            try c.encodeIfPresent(lead.note, forKey: .note)
        case .engagement(let e):
            try c.encode(e.eventType, forKey: .eventType)
            try c.encodeIfPresent(e.content, forKey: .content)
            try c.encodeIfPresent(e.url, forKey: .url)
        case .contactAttempt(let a):
            try c.encode(a.repID, forKey: .repID)
            try c.encode(a.channel, forKey: .channel)
            try c.encode(a.outcome, forKey: .outcome)
            try c.encodeIfPresent(a.note, forKey: .note)
        case .disposition(let d):
            try c.encode(d.repID, forKey: .repID)
            try c.encode(d.code, forKey: .code)
            try c.encodeIfPresent(d.note, forKey: .note)
        case .assign(let a):
            try c.encode(a.repID, forKey: .repID)
            try c.encodeIfPresent(a.assignedBy, forKey: .assignedBy)
            try c.encodeIfPresent(a.priority, forKey: .priority)
            try c.encodeIfPresent(a.note, forKey: .note)
        case .clock(let pause):
            try c.encodeIfPresent(pause.reason, forKey: .reason)
            try c.encodeIfPresent(pause.until.map(EventTime.format), forKey: .until)
        case .merge(let m):
            try c.encode(m.mergedLeadID, forKey: .mergedLeadID)
            try c.encodeIfPresent(m.note, forKey: .note)
        case .release(let r):
            try c.encode(r.repID, forKey: .repID)
            try c.encodeIfPresent(r.reason, forKey: .reason)
        case .opportunity(let o):
            try c.encode(o.opportunityID, forKey: .opportunityID)
            try c.encode("\(o.amount)", forKey: .amount)
            try c.encode(o.currency, forKey: .currency)
            try c.encode(o.stage, forKey: .stage)
        case .outcome(let o):
            try c.encode(o.opportunityID, forKey: .opportunityID)
            try c.encode("\(o.amount)", forKey: .amount)
            try c.encode(EventTime.format(o.closeDate), forKey: .closeDate)
            try c.encodeIfPresent(o.reason, forKey: .reason)
        }
    }

    /// A lead field as sent: text, a number or a boolean (kept as its text), or null (dropped).
    struct FieldValue: Decodable {
        let text: String?
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                text = nil
            } else if let s = try? c.decode(String.self) {
                text = s
            } else if let b = try? c.decode(Bool.self) {
                text = b ? "true" : "false"
            } else if let i = try? c.decode(Int64.self) {
                text = String(i)
            } else if let d = try? c.decode(Double.self), d.isFinite {
                text = "\(d)"
            } else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "a lead field must be text, a number, true/false or null")
            }
        }
    }

    static func text(_ c: KeyedDecodingContainer<Keys>, _ key: Keys) throws -> String {
        guard c.contains(key) else { throw c.bad(key, "is required") }
        guard let value = try? c.decode(String.self, forKey: key) else { throw c.bad(key, "must be a text value") }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw c.bad(key, "is empty") }
        return trimmed
    }

    /// An id field: text (trimmed) that ``Identifier`` accepts, refused with the field named otherwise.
    static func id(_ c: KeyedDecodingContainer<Keys>, _ key: Keys) throws -> String {
        let value = try text(c, key)
        if let problem = Identifier.problem(value) { throw c.bad(key, problem) }
        return value
    }

    static func date(_ c: KeyedDecodingContainer<Keys>, _ key: Keys, dateOnlyAllowed: Bool = false) throws -> Date {
        let raw = try text(c, key)
        guard let date = EventTime.parse(raw, dateOnlyAllowed: dateOnlyAllowed) else {
            let form = dateOnlyAllowed ? "a date (2026-04-30) or " : ""
            throw c.bad(
                key,
                "`\(raw)` is not \(form)an RFC 3339 time with a zone, e.g. 2026-03-02T14:05:00Z (a day that exists, years \(RFC3339.years.lowerBound)–\(RFC3339.years.upperBound))"
            )
        }
        return date
    }

    static func amount(_ c: KeyedDecodingContainer<Keys>, _ key: Keys) throws -> Decimal {
        guard c.contains(key) else { throw c.bad(key, "is required") }
        let raw: String
        if let s = try? c.decode(String.self, forKey: key) {
            raw = s.trimmingCharacters(in: .whitespaces)
        } else if let d = try? c.decode(Decimal.self, forKey: key) {
            raw = "\(d)"
        } else {
            throw c.bad(key, "must be a decimal amount such as \"12500.00\"")
        }
        guard raw.range(of: #"^[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil,
            let value = Decimal(string: raw, locale: Locale(identifier: "en_US_POSIX"))
        else {
            throw c.bad(key, "`\(raw)` is not an amount ≥ 0 in major units such as \"12500.00\"")
        }
        return value
    }
}

extension KeyedDecodingContainer {
    func bad(_ key: Key, _ message: String) -> DecodingError {
        DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: message)
    }
}
