import Foundation
import HandoffPersistence
import HandoffRules
import ScoringModelFormat

/// A lead's hand-off package rebuilt from the store (``HandoffEngine/package(leadID:)``), with
/// the hand-off it belongs to and what could not be filled.
package struct StoredHandoffPackage: Sendable, Equatable {
    /// The hand-off the package was built for: the lead's latest assignment.
    package struct Handoff: Sendable, Equatable {
        package var target: AssignmentTarget
        package var assignedAt: Date
        /// False once the assignment was closed (disposition, reassignment, won/lost).
        package var isOpen: Bool
        /// The first-touch deadline under the timer's policy; nil for a fallback queue (no SLA runs).
        package var slaDeadline: Date?
        package var policy: String?
    }

    /// The domain package. For a lead never handed off (or parked in a fallback queue) it is built
    /// from the latest score and decision, and ``HandoffPackage/slaDeadline`` says in words why
    /// there is no deadline. Nil only when the store holds no usable score or decision for the
    /// lead (imported data): `gaps` says which.
    package var package: HandoffPackage?
    /// Nil when the lead was never handed off.
    package var handoff: Handoff?
    /// True when `package` is the very package the engine built when it handed the lead to a rep
    /// (``ApplyResult/packages``); false when parts are missing (see `gaps`).
    package var isComplete: Bool { gaps.isEmpty }
    /// What is missing and why, in plain words (empty for a rep hand-off).
    package var gaps: [String]
}

/// Lead fields naming the marketing owner who signs the warm-introduction draft; without them the
/// engine's default owner (``HandoffEngine/init(store:playbook:scorer:knownFields:routerName:marketingOwner:)``) signs.
package enum OwnerFields {
    static let name = "marketing_owner_name"
    static let email = "marketing_owner_email"
    static let title = "marketing_owner_title"
    /// All three, as documented in `Notebooks-md/formats.md`.
    package static let all: Set<String> = [name, email, title]
}

extension HandoffEngine {
    /// Rebuilds the hand-off package of a stored lead from the store: the fields and engagement
    /// events (with their content) as of its latest hand-off, the score and decision that hand-off
    /// was made on, the SLA deadline its timer's policy gives, the recommended approach and the
    /// warm-introduction draft. For a lead handed to a rep this equals the package the engine built
    /// at that hand-off (``ApplyResult/packages``), plus ``HandoffPackage/scoreAtHandoff`` and
    /// ``HandoffPackage/scoreNow`` (the lead's latest score, rescored by later events or another
    /// model), which only a rebuilt package carries. A lead never handed off, or parked in a
    /// fallback queue, gets what the store holds (latest score and decision, no deadline), with
    /// ``StoredHandoffPackage/gaps`` saying what is missing.
    ///
    /// Events count as of the hand-off instant (`occurred_at` at or before it), so an engagement
    /// stored late with an earlier time shows up here although the live package lacked it.
    /// - Returns: nil when the lead is not stored.
    /// - Throws: ``EngineError/store(eventID:_:)`` when the store cannot be read.
    package func package(leadID: String) async throws(EngineError) -> StoredHandoffPackage? {
        let stored: LeadTimeline?
        do { stored = try await store.leadTimeline(leadID: leadID) } catch { throw .store(eventID: nil, error) }
        guard let timeline = stored else { return nil }
        var gaps: [String] = []
        let latest = timeline.assignments.max { ($0.assignedAt, $0.rowID ?? 0) < ($1.assignedAt, $1.rowID ?? 0) }
        let asOf = latest?.assignedAt ?? timeline.events.map(\.occurredAt).max() ?? timeline.lead.updatedAt
        let basis = Self.handoffBasis(
            timeline, at: asOf,
            isEventHandoff: latest.map { a in
                timeline.decisions.contains { $0.decidedAt == a.assignedAt && $0.stage != .nurture }
            } ?? false)
        let score = basis.score.flatMap { try? Self.leadScore($0) }
        let decision = basis.decision.flatMap { try? $0.evidence.decode(QualificationDecision.self) }
        if basis.score == nil {
            let missing = missingFields(of: timeline)
            gaps.append(
                missing.isEmpty
                    ? "the lead has no stored score"
                    : "the lead is incomplete: it lacks \(missing.joined(separator: ", ")), which the model needs; it is scored, qualified and routed once they arrive"
            )
        } else if score == nil {
            gaps.append("the stored score's reasons do not decode")
        }
        if basis.decision == nil {
            gaps.append("the lead has no stored qualification decision")
        } else if decision == nil {
            gaps.append("the stored decision carries no decodable evidence (imported data?)")
        }
        var handoff: StoredHandoffPackage.Handoff?
        var deadlineText: String
        if let latest {
            handoff = .init(target: latest.target, assignedAt: latest.assignedAt, isOpen: latest.unassignedAt == nil, slaDeadline: nil, policy: nil)
            switch latest.target {
            case .rep(let rep):
                let ordinal = timeline.assignments.filter {
                    $0.repID != nil && ($0.assignedAt, $0.rowID ?? 0) <= (latest.assignedAt, latest.rowID ?? 0)
                }.count
                let timers = timeline.timers.sorted { Self.handoffNumber($0.id) < Self.handoffNumber($1.id) }
                if ordinal >= 1, ordinal <= timers.count {
                    let timer = timers[ordinal - 1]
                    handoff?.policy = timer.policy
                    handoff?.slaDeadline = try? flow.slaClock.transition(
                        SLAState(leadID: leadID), .handedOff(repID: rep, policy: timer.policy),
                        at: timer.startedAt
                    ).state.firstTouchDeadline
                }
                deadlineText = handoff?.slaDeadline.map(EventTime.format) ?? "unknown (no SLA timer stored for this hand-off)"
                if handoff?.slaDeadline == nil { gaps.append("no SLA timer is stored for the hand-off to \(rep)") }
            case .fallbackQueue(let queue):
                deadlineText = "none: parked in the \(queue) queue (no rep could take the lead), no SLA clock runs"
                gaps.append("the lead is parked in the fallback queue \(queue): no rep, no SLA deadline")
            }
        } else {
            deadlineText = "none: not handed off"
            gaps.append("the lead was never handed off: no assignment, no SLA deadline; the package shows its latest score and qualification")
        }
        let fields = effectiveFields(basis.fields, events: basis.events, at: asOf)
        let subject = Lead(id: leadID, fields: fields, createdAt: timeline.lead.createdAt, events: basis.events)
        var package: HandoffPackage?
        if let score, let decision {
            let repID = latest?.repID
            if let deadline = handoff?.slaDeadline {
                package = makePackage(subject, score: score, decision: decision, slaDeadline: deadline, repID: repID)
            } else {
                package = makePackage(subject, score: score, decision: decision, slaDeadline: .distantPast, repID: repID).withDeadline(deadlineText)
            }
            if latest != nil { package?.scoreAtHandoff = basis.score.map(Self.moment) }
            package?.scoreNow = timeline.scores.max { ($0.scoredAt, $0.rowID ?? 0) < ($1.scoredAt, $1.rowID ?? 0) }.map(Self.moment)
            package?.account = try await accountContacts(leadID: leadID, timeline: timeline)
        }
        return StoredHandoffPackage(package: package, handoff: handoff, gaps: gaps)
    }

    /// The package's account section for `leadID` (issue 16): its account and up to
    /// ``AccountContacts/listed`` other contacts with their names, titles and e-mails; nil when
    /// the lead has no account.
    /// `timeline` is the lead's own when the caller has read it already.
    nonisolated func accountContacts(leadID: String, timeline own: LeadTimeline? = nil) async throws(EngineError) -> AccountContacts? {
        do {
            guard let account = try await store.leadAccount(leadID: leadID) else { return nil }
            var others: [AccountContacts.Contact] = []
            var probabilities: [(leadID: String, probability: Double)] = []
            var engaged = 0
            for id in [leadID] + account.otherContacts.prefix(AccountContacts.listed) {
                let read: LeadTimeline?
                if id == leadID, let own { read = own } else { read = try await store.leadTimeline(leadID: id) }
                guard let timeline = read else { continue }
                if id != leadID { others.append(AccountContacts.Contact(leadID: id, fields: timeline.lead.fieldValues)) }
                if let latest = timeline.scores.max(by: { ($0.scoredAt, $0.rowID ?? 0) < ($1.scoredAt, $1.rowID ?? 0) }) {
                    probabilities.append((id, latest.probability))
                }
                if timeline.events.contains(where: { !Self.reservedTypes.contains($0.type) }) { engaged += 1 }
            }
            var contacts = AccountContacts(
                accountID: account.account.id, name: account.account.displayName ?? account.account.name, contacts: account.account.contacts,
                others: others)
            if !probabilities.isEmpty { contacts.buyingGroup = AccountContacts.BuyingGroup(probabilities: probabilities, engaged: engaged) }
            return contacts
        } catch {
            throw .store(eventID: nil, error)
        }
    }

    /// The package built at a rep hand-off (and by ``package(leadID:)``), signed by the owner the
    /// lead's fields name, else the engine's default owner.
    /// - Parameter repID: the rep the lead is handed to; the e-mail draft introduces them by name.
    nonisolated func makePackage(
        _ lead: Lead, score: LeadScore, decision: QualificationDecision, slaDeadline: Date, repID: String? = nil
    ) -> HandoffPackage {
        let repName = repID.map { id in flow.roster.rep(id).map { $0.name.isEmpty ? id : $0.name } ?? id }
        return HandoffPackage(
            lead: lead, score: score, decision: decision, slaDeadline: slaDeadline,
            owner: owner(of: lead.fields), fitColumns: fitColumns, repName: repName)
    }

    /// The model's fit columns, in spec order (given explicitly so a package rebuilt without the
    /// score's contributions lists the same firmographics).
    nonisolated var fitColumns: [String] {
        scorer.weights.spec.features.filter { $0.group == .fit }.map(\.column)
    }

    nonisolated func owner(of fields: [String: String]) -> MarketingOwner? {
        func value(_ key: String) -> String? {
            let text = fields[key]?.trimmingCharacters(in: .whitespacesAndNewlines)
            return text?.isEmpty == false ? text : nil
        }
        if let email = value(OwnerFields.email) {
            return MarketingOwner(name: value(OwnerFields.name) ?? email, email: email, title: value(OwnerFields.title))
        }
        return marketingOwner
    }

    /// Engagement events with their content, from the journal rows' payloads.
    nonisolated static func packageEvents(_ rows: [EngagementEventRecord]) -> [EngagementEvent] {
        rows.filter { !reservedTypes.contains($0.type) }.map { row in
            var event = EngagementEvent(type: row.type, occurredAt: row.occurredAt)
            if let inbound = try? row.payload.decode(InboundEvent.self), case .engagement(let body) = inbound.body {
                event.contentTitle = body.content
                event.contentURL = body.url
            }
            return event
        }
    }

    /// Fields, events, score and decision of the lead as of `instant`. For a hand-off made by an
    /// event, the score is the first one at that instant that qualified (later units at the same
    /// instant came after the hand-off); otherwise the latest at or before it.
    nonisolated static func handoffBasis(
        _ timeline: LeadTimeline, at instant: Date, isEventHandoff: Bool
    )
        -> (fields: [String: String], events: [EngagementEvent], score: ScoreRecord?, decision: QualificationDecisionRecord?)
    {
        let journal = timeline.events.filter { $0.occurredAt <= instant }
        var fields: [String: String] = [:]
        var foldedAny = false
        for row in journal where row.type == InboundEvent.Kind.leadCreated.rawValue || row.type == InboundEvent.Kind.leadUpdated.rawValue {
            guard let inbound = try? row.payload.decode(InboundEvent.self), case .lead(let body) = inbound.body else { continue }
            fields.merge(body.fields) { _, new in new }
            foldedAny = true
        }
        if !foldedAny { fields = timeline.lead.fieldValues }
        let scores = timeline.scores.filter { $0.scoredAt <= instant }
        let decisions = timeline.decisions.filter { $0.decidedAt <= instant }
        var score = scores.last, decision = decisions.last
        if isEventHandoff {
            let atScores = scores.filter { $0.scoredAt == instant }, atDecisions = decisions.filter { $0.decidedAt == instant }
            if let index = atDecisions.firstIndex(where: { $0.stage != .nurture }), index < atScores.count {
                score = atScores[index]
                decision = atDecisions[index]
            }
        }
        // Counted features read events up to the scoring instant, like the live flow.
        let events = packageEvents(journal)
        return (fields, events, score, decision)
    }

    /// A stored score's points, probability, time and model, as a package shows them.
    nonisolated static func moment(_ record: ScoreRecord) -> HandoffPackage.ScoreMoment {
        .init(points: record.points, probability: record.probability, scoredAt: record.scoredAt, modelChecksum: record.model.sha256)
    }

    /// A ``LeadScore`` carrying a stored score's numbers and reasons (what a package reads).
    /// Handoff offers no public memberwise initialiser, so the record goes through LeadScore's
    /// Codable form; contributions and unseen levels are not stored and stay empty.
    nonisolated static func leadScore(_ record: ScoreRecord) throws -> LeadScore {
        let reasons = try record.reasons.decode([ReasonCode].self)
        let p = record.probability
        let logOdds = p > 0 && p < 1 ? log(p / (1 - p)) : 0
        let shim = ScoreShim(
            leadID: record.leadID, probability: p, logOdds: logOdds, points: record.points,
            basePoints: record.points - record.fitPoints - record.engagementPoints, fitPoints: record.fitPoints,
            engagementPoints: record.engagementPoints, reasons: reasons, modelChecksum: record.model.sha256)
        return try JSONDecoder().decode(LeadScore.self, from: JSONEncoder().encode(shim))
    }
}

extension HandoffPackage {
    /// The package with its deadline replaced by `text` (the approach line that quotes it too).
    func withDeadline(_ text: String) -> HandoffPackage {
        var copy = self
        let old = slaDeadline
        copy.slaDeadline = text
        copy.approach = approach.map { $0.replacingOccurrences(of: "first touch before \(old).", with: "first touch before \(text).") }
        return copy
    }
}

private struct ScoreShim: Encodable {
    let leadID: String, probability: Double, logOdds: Double, points: Double, basePoints: Double
    let fitPoints: Double, engagementPoints: Double, reasons: [ReasonCode], modelChecksum: String
    let contributions: [String] = [], unseenLevels: [String] = []
    enum CodingKeys: String, CodingKey {
        case probability, points, reasons, contributions
        case leadID = "lead_id", logOdds = "log_odds", basePoints = "base_points", fitPoints = "fit_points"
        case engagementPoints = "engagement_points", unseenLevels = "unseen_levels", modelChecksum = "model_sha256"
    }
}
