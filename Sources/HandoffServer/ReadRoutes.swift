import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import Hummingbird
import ScoringModelFormat

extension HandoffService {
    func addReadRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.get("/leads/{id}") { request, context in
            _ = try context.require(.marketing, .sales, .salesManager)
            let id = try context.pathIdentifier("id")
            let format = try LeadView.format(request)
            let engine = await self.runtime.current()
            guard let timeline = try await self.store.leadTimeline(leadID: id), var stored = try await engine.package(leadID: id) else {
                throw APIError.notFound("lead '\(id)' is not stored; send its lead_created event first")
            }
            let interactions = try await self.store.interactions(leadID: id)
            let account = try await self.store.leadAccount(leadID: id)
            if var package = stored.package {
                let capture = await self.conversationCapture()
                do throws(CaptureError) {
                    try await capture.enrich(&package, records: interactions, account: account)
                    stored.package = package
                } catch {
                    if case .store(let storeError) = error { throw storeError }
                    throw APIError(.internalServerError, code: "conversations", message: error.description)
                }
            }
            if format == .markdown { return JSONResponse.text(LeadView.markdown(stored, leadID: id), contentType: "text/markdown; charset=utf-8") }
            var detail = LeadView.Detail(timeline)
            detail.missingFields = engine.missingFields(of: timeline)
            detail.package = LeadView.package(stored)
            detail.packageStatus = LeadView.PackageStatus(stored)
            detail.addInteractions(interactions)
            detail.account = account.map(LeadView.AccountView.init)
            return JSONResponse.make(detail)
        }
        router.get("/reps/{id}/handoffs") { _, context in
            _ = try context.require(.marketing, .sales, .salesManager)
            let id = try context.pathIdentifier("id")
            let reps = try await self.store.reps()
            guard reps.contains(where: { $0.id == id }) else {
                throw APIError.notFound("rep '\(id)' is not on the roster (\(reps.map(\.id).joined(separator: ", ")))")
            }
            let open = try await self.store.openHandoffs(repID: id)
            return JSONResponse.make(RepHandoffs(repID: id, count: open.count, handoffs: open.map(LeadView.OpenHandoffView.init)))
        }
        router.get("/sla") { request, context in
            _ = try context.require(.marketing, .sales, .salesManager)
            let rep = request.uri.queryParameters.get("rep")
            return JSONResponse.make(try await self.slaState(rep: rep))
        }
    }

    /// Open timers and open hand-offs, with breaches listed (optionally for one rep).
    func slaState(rep: String?) async throws -> SLAState {
        let instant = now()
        let open = try await store.openHandoffs(repID: rep)
        var timers = SLAState.TimerCounts()
        var breaches: [SLAState.Breach] = []
        for handoff in open {
            for timer in handoff.openTimers {
                if timer.state == .running {
                    timers.running += 1
                    if timer.dueAt <= instant { timers.runningPastDue += 1 }
                }
                if timer.state == .breached {
                    timers.breached += 1
                    breaches.append(
                        SLAState.Breach(
                            leadID: timer.leadID, repID: handoff.assignment.repID, policy: timer.policy, escalationStep: timer.escalationStep,
                            nextStepAt: EventTime.format(timer.dueAt),
                            firedSteps: timer.firedSteps.map {
                                .init(
                                    step: $0.step, action: $0.action, firedAt: EventTime.format($0.firedAt),
                                    voidedAt: $0.voidedAt.map(EventTime.format), voidedBy: $0.voidedBy)
                            }))
                }
            }
        }
        return SLAState(
            asOf: EventTime.format(instant), repID: rep, openHandoffs: open.count, timers: timers,
            breaches: breaches, handoffs: open.map(LeadView.OpenHandoffView.init))
    }
}

/// `GET /reps/{id}/handoffs`.
struct RepHandoffs: Encodable, Sendable {
    let repID: String
    let count: Int
    let handoffs: [LeadView.OpenHandoffView]

    enum CodingKeys: String, CodingKey {
        case count, handoffs
        case repID = "rep_id"
    }
}

/// `GET /sla`: open timers and hand-offs, breaches listed.
struct SLAState: Encodable, Sendable {
    struct TimerCounts: Encodable, Sendable {
        var running = 0
        var breached = 0
        var runningPastDue = 0

        enum CodingKeys: String, CodingKey {
            case running, breached
            case runningPastDue = "running_past_due"
        }
    }

    struct Breach: Encodable, Sendable {
        struct FiredStep: Encodable, Sendable {
            let step: Int
            let action: String
            let firedAt: String
            /// Set when a first touch made before the step arrived later (CRM lag) and voided it.
            @Nullable var voidedAt: String?
            @Nullable var voidedBy: String?

            enum CodingKeys: String, CodingKey {
                case step, action
                case firedAt = "fired_at"
                case voidedAt = "voided_at"
                case voidedBy = "voided_by"
            }
        }

        let leadID: String
        @Nullable var repID: String?
        let policy: String
        let escalationStep: Int
        let nextStepAt: String
        let firedSteps: [FiredStep]

        enum CodingKeys: String, CodingKey {
            case policy
            case leadID = "lead_id"
            case repID = "rep_id"
            case escalationStep = "escalation_step"
            case nextStepAt = "next_step_at"
            case firedSteps = "fired_steps"
        }
    }

    let asOf: String
    @Nullable var repID: String?
    let openHandoffs: Int
    let timers: TimerCounts
    let breaches: [Breach]
    let handoffs: [LeadView.OpenHandoffView]

    enum CodingKeys: String, CodingKey {
        case timers, breaches, handoffs
        case asOf = "as_of"
        case repID = "rep_id"
        case openHandoffs = "open_handoffs"
    }
}

/// JSON views of store reads.
enum LeadView {
    struct ScoreView: Encodable, Sendable {
        struct Model: Encodable, Sendable {
            let sha256: String
            let format: String
        }

        let points: Double
        let probability: Double
        let fitPoints: Double
        let engagementPoints: Double
        let reasons: JSONValue
        let model: Model
        let scoredAt: String
        @Nullable var triggerEventID: String?

        init(_ s: ScoreRecord) {
            points = s.points
            probability = s.probability
            fitPoints = s.fitPoints
            engagementPoints = s.engagementPoints
            reasons = JSONResponse.embed(s.reasons.text)
            model = Model(sha256: s.model.sha256, format: s.model.format)
            scoredAt = EventTime.format(s.scoredAt)
            triggerEventID = s.triggerEventID
        }

        enum CodingKeys: String, CodingKey {
            case points, probability, reasons, model
            case fitPoints = "fit_points"
            case engagementPoints = "engagement_points"
            case scoredAt = "scored_at"
            case triggerEventID = "trigger_event_id"
        }
    }

    struct DecisionView: Encodable, Sendable {
        let stage: QualificationStage
        let priority: HandoffPriority
        let rule: String
        let decidedAt: String
        let evidence: JSONValue

        init(_ d: QualificationDecisionRecord) {
            stage = d.stage
            priority = d.priority
            rule = d.rule
            decidedAt = EventTime.format(d.decidedAt)
            evidence = JSONResponse.embed(d.evidence.text)
        }

        enum CodingKeys: String, CodingKey {
            case stage, priority, rule, evidence
            case decidedAt = "decided_at"
        }
    }

    struct TimerView: Encodable, Sendable {
        let id: String
        let policy: String
        let state: SLATimerState
        let dueAt: String
        let escalationStep: Int
        let startedAt: String

        init(_ t: SLATimerRecord) {
            id = t.id
            policy = t.policy
            state = t.state
            dueAt = EventTime.format(t.dueAt)
            escalationStep = t.escalationStep
            startedAt = EventTime.format(t.startedAt)
        }

        enum CodingKeys: String, CodingKey {
            case id, policy, state
            case dueAt = "due_at"
            case escalationStep = "escalation_step"
            case startedAt = "started_at"
        }
    }

    /// `{"rep_id": …}` or `{"queue": …}`.
    struct TargetView: Encodable, Sendable {
        let repID: String?
        let queue: String?

        init(_ target: AssignmentTarget) {
            switch target {
            case .rep(let id): (repID, queue) = (id, nil)
            case .fallbackQueue(let name): (repID, queue) = (nil, name)
            }
        }

        enum CodingKeys: String, CodingKey {
            case queue
            case repID = "rep_id"
        }
    }

    struct AssignmentView: Encodable, Sendable {
        let target: TargetView
        let rule: String
        let assignedAt: String
        @Nullable var unassignedAt: String?
        @Nullable var unassignReason: String?

        init(_ a: AssignmentRecord) {
            target = TargetView(a.target)
            rule = a.rule
            assignedAt = EventTime.format(a.assignedAt)
            unassignedAt = a.unassignedAt.map(EventTime.format)
            unassignReason = a.unassignReason
        }

        enum CodingKeys: String, CodingKey {
            case target, rule
            case assignedAt = "assigned_at"
            case unassignedAt = "unassigned_at"
            case unassignReason = "unassign_reason"
        }
    }

    struct OpenHandoffView: Encodable, Sendable {
        let leadID: String
        let assignment: AssignmentView
        @Nullable var score: ScoreView?
        @Nullable var qualification: DecisionView?
        let sla: [TimerView]
        let attemptsSinceAssigned: Int

        init(_ h: OpenHandoff) {
            leadID = h.lead.id
            assignment = AssignmentView(h.assignment)
            score = h.latestScore.map(ScoreView.init)
            qualification = h.latestDecision.map(DecisionView.init)
            sla = h.openTimers.map(TimerView.init)
            attemptsSinceAssigned = h.attemptsSinceAssigned
        }

        enum CodingKeys: String, CodingKey {
            case assignment, score, qualification, sla
            case leadID = "lead_id"
            case attemptsSinceAssigned = "attempts_since_assigned"
        }
    }

    /// What the store knows of the open hand-off: who has it, score, qualification, SLA,
    /// content consumed and engagement.
    struct StoredPackage: Encodable, Sendable {
        struct Engagement: Encodable, Sendable {
            let type: String
            let at: String
        }

        let assignedTo: TargetView
        let assignedAt: String
        @Nullable var score: ScoreView?
        @Nullable var qualification: DecisionView?
        @Nullable var slaDeadline: String?
        @Nullable var slaState: SLATimerState?
        let contentConsumed: [String]
        let engagement: [Engagement]
        let contactAttempts: Int

        enum CodingKeys: String, CodingKey {
            case score, qualification, engagement
            case assignedTo = "assigned_to"
            case assignedAt = "assigned_at"
            case slaDeadline = "sla_deadline"
            case slaState = "sla_state"
            case contentConsumed = "content_consumed"
            case contactAttempts = "contact_attempts"
        }
    }

    struct LeadSummary: Encodable, Sendable {
        let id: String
        @Nullable var source: String?
        @Nullable var campaign: String?
        let createdAt: String
        let updatedAt: String
        let fields: JSONValue

        enum CodingKeys: String, CodingKey {
            case id, source, campaign, fields
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    struct DispositionView: Encodable, Sendable {
        let id: String
        let code: String
        @Nullable var repID: String?
        let decidedAt: String

        enum CodingKeys: String, CodingKey {
            case id, code
            case repID = "rep_id"
            case decidedAt = "decided_at"
        }
    }

    struct OpportunityView: Encodable, Sendable {
        let id: String
        let stage: String
        let openedAt: String

        enum CodingKeys: String, CodingKey {
            case id, stage
            case openedAt = "opened_at"
        }
    }

    struct OutcomeView: Encodable, Sendable {
        let id: String
        let result: String
        let opportunityID: String
        let closedAt: String

        enum CodingKeys: String, CodingKey {
            case id, result
            case opportunityID = "opportunity_id"
            case closedAt = "closed_at"
        }
    }

    struct TimelineView: Encodable, Sendable {
        let at: String
        let kind: String
        let reference: String
    }

    /// `GET /leads/{id}`: the lead with its latest score and reasons, qualification, hand-off
    /// package and timeline.
    struct Detail: Encodable, Sendable {
        let lead: LeadSummary
        @Nullable var score: ScoreView?
        let scores: Int
        @Nullable var qualification: DecisionView?
        let assignments: [AssignmentView]
        let sla: [TimerView]
        @Nullable var handoffPackage: StoredPackage?
        let dispositions: [DispositionView]
        let opportunities: [OpportunityView]
        let outcomes: [OutcomeView]
        var timeline: [TimelineView]
        /// The engine's hand-off package (its own keys), null when there is none.
        var package: JSONValue = .null
        @Nullable var packageStatus: PackageStatus?
        /// The model fields the lead still lacks (an integration's incomplete lead: not scored until they arrive).
        var missingFields: [String] = []
        /// The lead's account with the evidence of the match (issue 16); null when it has none.
        @Nullable var account: AccountView?

        init(_ t: LeadTimeline) {
            let latestScore = t.scores.last
            let latestDecision = t.decisions.last
            let openTimer = t.timers.last { $0.state.isOpen }
            lead = LeadSummary(
                id: t.lead.id, source: t.lead.source, campaign: t.lead.campaign, createdAt: EventTime.format(t.lead.createdAt),
                updatedAt: EventTime.format(t.lead.updatedAt), fields: JSONResponse.embed(t.lead.fields.text))
            let scoreView = latestScore.map(ScoreView.init), decisionView = latestDecision.map(DecisionView.init)
            score = scoreView
            scores = t.scores.count
            qualification = decisionView
            assignments = t.assignments.map(AssignmentView.init)
            sla = t.timers.map(TimerView.init)
            handoffPackage = nil
            if let open = t.assignments.last(where: { $0.unassignedAt == nil }) {
                var content: [String] = []
                for event in t.events {
                    if case .string(let item)? = JSONResponse.embed(event.payload.text)["content"], !content.contains(item) { content.append(item) }
                }
                handoffPackage = StoredPackage(
                    assignedTo: TargetView(open.target), assignedAt: EventTime.format(open.assignedAt),
                    score: scoreView, qualification: decisionView, slaDeadline: openTimer.map { EventTime.format($0.dueAt) },
                    slaState: openTimer?.state, contentConsumed: content,
                    engagement: t.events.map { .init(type: $0.type, at: EventTime.format($0.occurredAt)) },
                    contactAttempts: t.contactAttempts.count)
            }
            dispositions = t.dispositions.map { .init(id: $0.id, code: $0.code, repID: $0.repID, decidedAt: EventTime.format($0.decidedAt)) }
            opportunities = t.opportunities.map { .init(id: $0.id, stage: $0.stage, openedAt: EventTime.format($0.openedAt)) }
            outcomes = t.outcomes.map {
                .init(id: $0.id, result: $0.result.rawValue, opportunityID: $0.opportunityID, closedAt: EventTime.format($0.closedAt))
            }
            timeline = t.entries.map { .init(at: EventTime.format($0.at), kind: "\($0.kind)", reference: $0.reference) }
        }

        enum CodingKeys: String, CodingKey {
            case lead, score, scores, qualification, assignments, sla, dispositions, opportunities, outcomes, timeline, package
            case handoffPackage = "handoff_package"
            case packageStatus = "package_status"
            case missingFields = "missing_fields"
            case account
        }
    }

    /// Whether `package` is the hand-off's full package, and what is missing otherwise.
    struct PackageStatus: Encodable, Sendable {
        struct Handoff: Encodable, Sendable {
            let target: TargetView
            let assignedAt: String
            let open: Bool
            @Nullable var policy: String?
            @Nullable var slaDeadline: String?

            enum CodingKeys: String, CodingKey {
                case target, open, policy
                case assignedAt = "assigned_at"
                case slaDeadline = "sla_deadline"
            }
        }

        let handedOff: Bool
        let complete: Bool
        let gaps: [String]
        @Nullable var handoff: Handoff?

        init(_ stored: StoredHandoffPackage) {
            handoff = stored.handoff.map {
                Handoff(
                    target: TargetView($0.target), assignedAt: EventTime.format($0.assignedAt), open: $0.isOpen,
                    policy: $0.policy, slaDeadline: $0.slaDeadline.map(EventTime.format))
            }
            handedOff = stored.handoff.map { if case .rep = $0.target { true } else { false } } ?? false
            complete = stored.isComplete
            gaps = stored.gaps
        }

        enum CodingKeys: String, CodingKey {
            case complete, gaps, handoff
            case handedOff = "handed_off"
        }
    }

    enum Format { case json, markdown }

    /// `?format=markdown|json` wins over `Accept` (text/markdown, else JSON).
    static func format(_ request: Request) throws -> Format {
        if let asked = request.uri.queryParameters.get("format") {
            switch asked.lowercased() {
            case "markdown", "md": return .markdown
            case "json": return .json
            default: throw APIError.invalid("format", "is `\(asked)`; use json or markdown")
            }
        }
        let accept = request.headers[.accept]?.lowercased() ?? ""
        return accept.contains("text/markdown") ? .markdown : .json
    }

    /// The domain hand-off package as stored JSON (the engine's keys), its deadline null when none runs.
    static func package(_ stored: StoredHandoffPackage) -> JSONValue {
        guard let package = stored.package, case .object(var members)? = try? CanonicalJSON.encode(package) else { return .null }
        if stored.handoff?.slaDeadline == nil { members["sla_deadline"] = .null }
        return .object(members)
    }

    /// The package as Markdown; a note on top says what is missing when it is not complete.
    static func markdown(_ stored: StoredHandoffPackage, leadID: String) -> String {
        let note = stored.gaps.isEmpty ? "" : stored.gaps.map { "> Note: \($0).\n" }.joined() + "\n"
        guard let package = stored.package else { return "# Hand-off: lead \(leadID)\n\n" + note }
        return note + package.markdown()
    }
}
