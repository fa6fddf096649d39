import Foundation
import HandoffFlow
import HandoffPersistence
import Hummingbird

extension HandoffService {
    func addReadRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.get("/leads/{id}") { request, context in
            _ = try context.require(.marketing, .sales)
            let id = try context.parameters.require("id")
            let format = try LeadView.format(request)
            let engine = await self.runtime.current()
            guard let timeline = try await self.store.leadTimeline(leadID: id), let stored = try await engine.package(leadID: id) else {
                throw APIError.notFound("lead '\(id)' is not stored; send its lead_created event first")
            }
            if format == .markdown { return JSONResponse.text(LeadView.markdown(stored, leadID: id), contentType: "text/markdown; charset=utf-8") }
            var json = LeadView.json(timeline)
            json["package"] = LeadView.package(stored)
            json["package_status"] = LeadView.packageStatus(stored)
            return JSONResponse.make(json)
        }
        router.get("/reps/{id}/handoffs") { _, context in
            _ = try context.require(.marketing, .sales)
            let id = try context.parameters.require("id")
            let reps = try await self.store.reps()
            guard reps.contains(where: { $0.id == id }) else {
                throw APIError.notFound("rep '\(id)' is not on the roster (\(reps.map(\.id).joined(separator: ", ")))")
            }
            let open = try await self.store.openHandoffs(repID: id)
            return JSONResponse.make(["rep_id": id, "count": open.count, "handoffs": open.map(LeadView.openHandoff)])
        }
        router.get("/sla") { request, context in
            _ = try context.require(.marketing, .sales)
            let rep = request.uri.queryParameters.get("rep")
            return JSONResponse.make(try await self.slaState(rep: rep))
        }
    }

    /// Open timers and open hand-offs, with breaches listed (optionally for one rep).
    func slaState(rep: String?) async throws -> [String: Any] {
        let instant = now()
        let open = try await store.openHandoffs(repID: rep)
        var running = 0, breached = 0, overdue = 0
        var breaches: [[String: Any]] = []
        var items: [[String: Any]] = []
        for handoff in open {
            for timer in handoff.openTimers {
                if timer.state == .running { running += 1; if timer.dueAt <= instant { overdue += 1 } }
                if timer.state == .breached {
                    breached += 1
                    breaches.append(["lead_id": timer.leadID, "rep_id": handoff.assignment.repID ?? NSNull(),
                                     "policy": timer.policy, "escalation_step": timer.escalationStep,
                                     "next_step_at": JSONResponse.time(timer.dueAt),
                                     "fired_steps": timer.firedSteps.map { ["step": $0.step, "action": $0.action, "fired_at": ISOTime.format($0.firedAt)] }])
                }
            }
            items.append(LeadView.openHandoff(handoff))
        }
        return ["as_of": ISOTime.format(instant), "rep_id": rep ?? NSNull(), "open_handoffs": open.count,
                "timers": ["running": running, "breached": breached, "running_past_due": overdue],
                "breaches": breaches, "handoffs": items]
    }
}

/// JSON views of store reads.
enum LeadView {
    static func score(_ s: ScoreRecord) -> [String: Any] {
        ["points": s.points, "probability": s.probability, "fit_points": s.fitPoints, "engagement_points": s.engagementPoints,
         "reasons": JSONResponse.embed(s.reasons.text), "model": ["sha256": s.model.sha256, "format": s.model.format],
         "scored_at": ISOTime.format(s.scoredAt), "trigger_event_id": s.triggerEventID ?? NSNull()]
    }

    static func decision(_ d: QualificationDecisionRecord) -> [String: Any] {
        ["stage": d.stage.rawValue, "priority": d.priority, "rule": d.rule, "decided_at": ISOTime.format(d.decidedAt),
         "evidence": JSONResponse.embed(d.evidence.text)]
    }

    static func timer(_ t: SLATimerRecord) -> [String: Any] {
        ["id": t.id, "policy": t.policy, "state": t.state.rawValue, "due_at": ISOTime.format(t.dueAt),
         "escalation_step": t.escalationStep, "started_at": ISOTime.format(t.startedAt)]
    }

    static func assignment(_ a: AssignmentRecord) -> [String: Any] {
        var target: [String: Any] = [:]
        switch a.target {
        case .rep(let id): target = ["rep_id": id]
        case .fallbackQueue(let name): target = ["queue": name]
        }
        return ["target": target, "rule": a.rule, "assigned_at": ISOTime.format(a.assignedAt),
                "unassigned_at": JSONResponse.time(a.unassignedAt), "unassign_reason": a.unassignReason ?? NSNull()]
    }

    static func openHandoff(_ h: OpenHandoff) -> [String: Any] {
        ["lead_id": h.lead.id, "assignment": assignment(h.assignment),
         "score": h.latestScore.map(score) ?? NSNull(), "qualification": h.latestDecision.map(decision) ?? NSNull(),
         "sla": h.openTimers.map(timer), "attempts_since_assigned": h.attemptsSinceAssigned]
    }

    /// The lead with its latest score and reasons, qualification, hand-off package and timeline.
    static func json(_ t: LeadTimeline) -> [String: Any] {
        let latestScore = t.scores.last
        let latestDecision = t.decisions.last
        let open = t.assignments.last { $0.unassignedAt == nil }
        let openTimer = t.timers.last { $0.state.isOpen }
        let content = t.events.compactMap { e -> String? in
            (JSONResponse.embed(e.payload.text) as? [String: Any])?["content"] as? String
        }
        var package: Any = NSNull()
        if let open {
            package = ["assigned_to": assignment(open)["target"] ?? NSNull(), "assigned_at": ISOTime.format(open.assignedAt),
                       "score": latestScore.map(score) ?? NSNull(), "qualification": latestDecision.map(decision) ?? NSNull(),
                       "sla_deadline": JSONResponse.time(openTimer?.dueAt), "sla_state": openTimer?.state.rawValue ?? NSNull(),
                       "content_consumed": content.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } },
                       "engagement": t.events.map { ["type": $0.type, "at": ISOTime.format($0.occurredAt)] },
                       "contact_attempts": t.contactAttempts.count]
        }
        return [
            "lead": ["id": t.lead.id, "source": t.lead.source.map { $0 as Any } ?? NSNull(), "campaign": t.lead.campaign.map { $0 as Any } ?? NSNull(),
                     "created_at": ISOTime.format(t.lead.createdAt), "updated_at": ISOTime.format(t.lead.updatedAt),
                     "fields": JSONResponse.embed(t.lead.fields.text)],
            "score": latestScore.map(score) ?? NSNull(),
            "scores": t.scores.count,
            "qualification": latestDecision.map(decision) ?? NSNull(),
            "assignments": t.assignments.map(assignment),
            "sla": t.timers.map(timer),
            "handoff_package": package,
            "dispositions": t.dispositions.map { d -> [String: Any] in
                ["id": d.id, "code": d.code, "rep_id": d.repID ?? NSNull(), "decided_at": ISOTime.format(d.decidedAt)]
            },
            "opportunities": t.opportunities.map { ["id": $0.id, "stage": $0.stage, "opened_at": ISOTime.format($0.openedAt)] },
            "outcomes": t.outcomes.map { ["id": $0.id, "result": $0.result.rawValue, "opportunity_id": $0.opportunityID, "closed_at": ISOTime.format($0.closedAt)] },
            "timeline": t.entries.map { ["at": ISOTime.format($0.at), "kind": "\($0.kind)", "reference": $0.reference] },
        ]
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
    static func package(_ stored: StoredHandoffPackage) -> Any {
        guard let package = stored.package, let bytes = try? package.jsonBytes(),
              var object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { return NSNull() }
        if stored.handoff?.slaDeadline == nil { object["sla_deadline"] = NSNull() }
        return object
    }

    /// Whether `package` is the hand-off's full package, and what is missing otherwise.
    static func packageStatus(_ stored: StoredHandoffPackage) -> [String: Any] {
        var handoff: Any = NSNull()
        if let h = stored.handoff {
            var target: [String: Any] = [:]
            switch h.target {
            case .rep(let id): target = ["rep_id": id]
            case .fallbackQueue(let name): target = ["queue": name]
            }
            handoff = ["target": target, "assigned_at": ISOTime.format(h.assignedAt), "open": h.isOpen,
                       "policy": h.policy ?? NSNull(), "sla_deadline": JSONResponse.time(h.slaDeadline)]
        }
        let handedToRep = stored.handoff.map { if case .rep = $0.target { true } else { false } } ?? false
        return ["handed_off": handedToRep, "complete": stored.isComplete, "gaps": stored.gaps, "handoff": handoff]
    }

    /// The package as Markdown; a note on top says what is missing when it is not complete.
    static func markdown(_ stored: StoredHandoffPackage, leadID: String) -> String {
        let note = stored.gaps.isEmpty ? "" : stored.gaps.map { "> Note: \($0).\n" }.joined() + "\n"
        guard let package = stored.package else { return "# Hand-off: lead \(leadID)\n\n" + note }
        return note + package.markdown()
    }
}
