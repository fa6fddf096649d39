import Foundation
import ScoringModelFormat

/// What a rep reads in a minute before the first touch: who the prospect is, the score and why,
/// the journey, pains and solutions explored, a recommended approach and the SLA deadline.
/// Rendered as Markdown (``markdown()``) and JSON with stable, sorted keys (``jsonBytes()``), plus an
/// optional warm-introduction email draft from the marketing owner (``emailDraft``).
///
/// Lead fields read when present (``documentedFields``): `first_name`, `last_name`, `email`,
/// `company`, `job_title`, `phone`; `pain_points` and `solutions_explored` (several items separated
/// by `;` or new lines); `notes` (free text). Every model `fit` feature is listed under the prospect.
/// Times are shown in UTC, ISO 8601.
package struct HandoffPackage: Sendable, Codable, Equatable {
    /// Lead fields the package (and the playbook) know besides the model's columns.
    package static let documentedFields: Set<String> = [
        "first_name", "last_name", "email", "company", "job_title", "phone", "pain_points", "solutions_explored", "notes",
    ]

    package var leadID: String
    package var prospect: Prospect
    package var score: ScoreSummary
    package var qualification: QualificationSummary
    /// Events oldest first.
    package var timeline: [TimelineEntry]
    /// Distinct content titles, in the order first consumed.
    package var contentConsumed: [String]
    package var painPoints: [String]
    package var solutionsExplored: [String]
    package var notes: String?
    /// Recommended conversation approach, one line per applicable rule (see ``ConversationApproach``).
    package var approach: [String]
    /// First touch due by (ISO 8601 UTC).
    package var slaDeadline: String
    /// The warm-introduction email, when a marketing owner was given.
    package var emailDraft: EmailDraft?
    /// The score the hand-off was made on, with its time: set when the package is rebuilt from the
    /// store for a lead that was handed off (to a rep or a queue); nil on the package built live.
    package var scoreAtHandoff: ScoreMoment?
    /// The lead's latest score, with its time: set when the package is rebuilt from the store, so a
    /// rep reading it later sees whether the lead warmed up or cooled down since the hand-off.
    package var scoreNow: ScoreMoment?
    /// What was said with the lead (captured e-mails, calls, chats, notes), cited line by line;
    /// nil when nothing was captured.
    package var whatWasSaid: WhatWasSaid?
    /// The lead's account and its other contacts, set when the package is read back from the
    /// store (``HandoffEngine/package(leadID:)``: the lead's page, the action pages); nil when the
    /// lead has no account.
    package var account: AccountContacts?

    package struct Prospect: Sendable, Codable, Equatable {
        package var name: String
        package var company: String?
        package var jobTitle: String?
        package var email: String?
        package var phone: String?
        /// The model's fit features: column → the lead's value.
        package var firmographics: [String: String]
        enum CodingKeys: String, CodingKey {
            case name, company, email, phone, firmographics
            case jobTitle = "job_title"
        }
    }

    package struct ScoreSummary: Sendable, Codable, Equatable {
        package var points: Double
        package var probability: Double
        package var fitPoints: Double
        package var engagementPoints: Double
        package var reasons: [String]
        package var modelChecksum: String
        enum CodingKeys: String, CodingKey {
            case points, probability, reasons
            case fitPoints = "fit_points"
            case engagementPoints = "engagement_points"
            case modelChecksum = "model_sha256"
        }
    }

    /// One stored score: points, probability, when and by which model.
    package struct ScoreMoment: Sendable, Codable, Equatable {
        package var points: Double
        /// Probability of closed-won, in [0, 1].
        package var probability: Double
        /// ISO 8601 UTC.
        package var scoredAt: String
        package var modelChecksum: String

        package init(points: Double, probability: Double, scoredAt: Date, modelChecksum: String) {
            self.points = points
            self.probability = probability
            self.scoredAt = HandoffPackage.iso(scoredAt)
            self.modelChecksum = modelChecksum
        }

        enum CodingKeys: String, CodingKey {
            case points, probability
            case scoredAt = "scored_at"
            case modelChecksum = "model_sha256"
        }
    }

    package struct QualificationSummary: Sendable, Codable, Equatable {
        package var stage: QualificationStage
        package var priority: HandoffPriority
        package var rule: String?
        /// The deciding rule's conditions: `field budget_authority = yes: yes ✓ (line 9)`.
        package var evidence: [String]
    }

    package struct TimelineEntry: Sendable, Codable, Equatable {
        /// ISO 8601 UTC.
        package var at: String
        package var type: String
        package var content: String?
        package var detail: String?
    }

    enum CodingKeys: String, CodingKey {
        case prospect, score, qualification, timeline, notes, approach
        case leadID = "lead_id"
        case contentConsumed = "content_consumed"
        case painPoints = "pain_points"
        case solutionsExplored = "solutions_explored"
        case slaDeadline = "sla_deadline"
        case emailDraft = "email_draft"
        case scoreAtHandoff = "score_at_handoff"
        case scoreNow = "score_now"
        case whatWasSaid = "what_was_said"
        case account
    }

    /// Builds the package for one hand-off.
    /// - Parameters:
    ///   - slaDeadline: when the first touch is due (computed by the SLA clock).
    ///   - owner: the marketing owner; when given, a warm-introduction draft is added.
    package init(
        lead: Lead, score: LeadScore, decision: QualificationDecision, slaDeadline: Date,
        owner: MarketingOwner? = nil, fitColumns: [String] = [], repName: String? = nil
    ) {
        func field(_ name: String) -> String? {
            let value = lead.fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines)
            return value?.isEmpty == false ? value : nil
        }
        let name = [field("first_name"), field("last_name")].compactMap { $0 }.joined(separator: " ")
        let fitColumns = fitColumns.isEmpty ? score.contributions.filter { $0.group == FeatureGroup.fit.rawValue }.map(\.column) : fitColumns
        var firmographics: [String: String] = [:]
        for column in fitColumns { if let value = field(column) { firmographics[column] = value } }
        leadID = lead.id
        prospect = Prospect(
            name: name.isEmpty ? "Lead \(lead.id)" : name, company: field("company"), jobTitle: field("job_title"),
            email: field("email"), phone: field("phone"), firmographics: firmographics)
        self.score = ScoreSummary(
            points: score.points, probability: score.probability, fitPoints: score.fitPoints,
            engagementPoints: score.engagementPoints, reasons: score.reasons.map(\.text),
            modelChecksum: score.modelChecksum)
        let deciding = decision.rules.first { $0.name == decision.decidingRule }
        qualification = QualificationSummary(
            stage: decision.stage, priority: decision.priority, rule: decision.decidingRule,
            evidence: (deciding?.conditions ?? []).map { "\($0.subject) \($0.test): \($0.actual) \($0.passed ? "✓" : "✗") (line \($0.line))" })
        let events = lead.events.enumerated().sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }.map(\.element)
        timeline = events.map { TimelineEntry(at: Self.iso($0.occurredAt), type: $0.type, content: $0.contentTitle, detail: $0.detail) }
        var seen = Set<String>()
        contentConsumed = events.compactMap(\.contentTitle).filter { seen.insert($0).inserted }
        painPoints = Self.items(field("pain_points"))
        solutionsExplored = Self.items(field("solutions_explored"))
        notes = field("notes")
        self.slaDeadline = Self.iso(slaDeadline)
        approach = ConversationApproach.lines(
            lead: lead, score: score, decision: decision, events: events,
            contentConsumed: contentConsumed, painPoints: painPoints, slaDeadline: self.slaDeadline)
        emailDraft = owner.map {
            EmailDraft(owner: $0, prospect: prospect, contentConsumed: contentConsumed, painPoints: painPoints, repName: repName)
        }
    }

    static func items(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(whereSeparator: { $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// The package as pretty-printed JSON with sorted keys (stable across runs).
    package func jsonBytes() throws -> [UInt8] {
        CanonicalJSON.prettyBytes(try CanonicalJSON.encode(self))
    }
}

/// The marketing owner who sends the warm introduction.
package struct MarketingOwner: Sendable, Codable, Equatable {
    package var name: String
    package var email: String
    package var title: String?
    package init(name: String, email: String, title: String? = nil) {
        self.name = name
        self.email = email
        self.title = title
    }
}
