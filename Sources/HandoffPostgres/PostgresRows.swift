import Foundation
import HandoffPersistence

/// Column lists (json columns cast to text) next to their decoders, so a SELECT and its decoder
/// cannot drift apart. Names are the SQLite store's.
enum PGColumns {
    static let lead = "id, fields::text AS fields, source, campaign, created_at, updated_at"
    static let event = "event_id, lead_id, type, occurred_at, received_at, payload::text AS payload"
    static let score =
        "id, lead_id, model_sha256, model_format, probability, points, fit_points, engagement_points, reasons::text AS reasons, scored_at, trigger_event_id"
    static let decision = "id, lead_id, stage, priority, rule, evidence::text AS evidence, decided_at, score_id"
    static let assignment = "id, lead_id, rep_id, queue, rule, assigned_at, unassigned_at, unassign_reason"
    static let rep = "id, name, time_zone, status, left_at, profile::text AS profile, updated_at"
    static let timer = "id, lead_id, policy, due_at, state, escalation_step, fired_steps::text AS fired_steps, started_at, updated_at"
    static let attempt = "attempt_id, lead_id, rep_id, channel, result, attempted_at, note"
    static let disposition = "disposition_id, lead_id, rep_id, code, note, reengage_at, decided_at"
    static let opportunity = "id, lead_id, amount_minor, currency, stage, opened_at, updated_at"
    static let outcome = "outcome_id, opportunity_id, lead_id, result, amount_minor, currency, closed_at, reason"
    static let alert =
        "alert_id, kind, lead_id, target, payload::text AS payload, created_at, delivered_at, attempts, last_error, next_attempt_at, dead_at, replayed_at"
}

enum PGDecode {
    static func lead(_ r: Cells) throws -> LeadRecord {
        LeadRecord(
            id: try r.text("id"), fields: try r.json("fields"), source: try r.optionalText("source"),
            campaign: try r.optionalText("campaign"), createdAt: try r.date("created_at"), updatedAt: try r.date("updated_at"))
    }

    static func event(_ r: Cells) throws -> EngagementEventRecord {
        EngagementEventRecord(
            id: try r.text("event_id"), leadID: try r.text("lead_id"), type: try r.text("type"),
            occurredAt: try r.date("occurred_at"), receivedAt: try r.date("received_at"), payload: try r.json("payload"))
    }

    static func score(_ r: Cells) throws -> ScoreRecord {
        ScoreRecord(
            rowID: try r.int64("id"), leadID: try r.text("lead_id"),
            model: ModelVersion(sha256: try r.text("model_sha256"), format: try r.text("model_format")),
            probability: try r.double("probability"), points: try r.double("points"), fitPoints: try r.double("fit_points"),
            engagementPoints: try r.double("engagement_points"), reasons: try r.json("reasons"),
            scoredAt: try r.date("scored_at"), triggerEventID: try r.optionalText("trigger_event_id"))
    }

    static func decision(_ r: Cells) throws -> QualificationDecisionRecord {
        QualificationDecisionRecord(
            rowID: try r.int64("id"), leadID: try r.text("lead_id"),
            stage: try r.enumValue("stage", table: "qualification_decisions"),
            priority: try r.enumValue("priority", table: "qualification_decisions"), rule: try r.text("rule"), evidence: try r.json("evidence"),
            decidedAt: try r.date("decided_at"), scoreRowID: try r.optionalInt64("score_id"))
    }

    static func assignment(_ r: Cells) throws -> AssignmentRecord {
        let rep = try r.optionalText("rep_id")
        let queue = try r.optionalText("queue")
        return AssignmentRecord(
            rowID: try r.int64("id"), leadID: try r.text("lead_id"),
            target: rep.map(AssignmentTarget.rep) ?? .fallbackQueue(queue ?? ""),
            rule: try r.text("rule"), assignedAt: try r.date("assigned_at"),
            unassignedAt: try r.optionalDate("unassigned_at"), unassignReason: try r.optionalText("unassign_reason"))
    }

    static func rep(_ r: Cells) throws -> RepRecord {
        RepRecord(
            id: try r.text("id"), name: try r.text("name"), timeZone: try r.text("time_zone"),
            status: try r.enumValue("status", table: "reps"), leftAt: try r.optionalDate("left_at"),
            profile: try r.json("profile"), updatedAt: try r.date("updated_at"))
    }

    static func timer(_ r: Cells) throws -> SLATimerRecord {
        SLATimerRecord(
            id: try r.text("id"), leadID: try r.text("lead_id"), policy: try r.text("policy"), dueAt: try r.date("due_at"),
            state: try r.enumValue("state", table: "sla_timers"), escalationStep: try r.int("escalation_step"),
            firedSteps: try r.json("fired_steps").decode([FiredEscalationStep].self),
            startedAt: try r.date("started_at"), updatedAt: try r.date("updated_at"))
    }

    static func attempt(_ r: Cells) throws -> ContactAttemptRecord {
        ContactAttemptRecord(
            id: try r.text("attempt_id"), leadID: try r.text("lead_id"), repID: try r.optionalText("rep_id"),
            channel: try r.text("channel"), result: try r.optionalText("result"),
            attemptedAt: try r.date("attempted_at"), note: try r.optionalText("note"))
    }

    static func disposition(_ r: Cells) throws -> DispositionRecord {
        DispositionRecord(
            id: try r.text("disposition_id"), leadID: try r.text("lead_id"), repID: try r.optionalText("rep_id"),
            code: try r.text("code"), note: try r.optionalText("note"),
            reengageAt: try r.optionalDate("reengage_at"), decidedAt: try r.date("decided_at"))
    }

    static func opportunity(_ r: Cells) throws -> OpportunityRecord {
        OpportunityRecord(
            id: try r.text("id"), leadID: try r.text("lead_id"),
            amount: Money(minorUnits: try r.int64("amount_minor"), currency: try r.text("currency")),
            stage: try r.text("stage"), openedAt: try r.date("opened_at"), updatedAt: try r.date("updated_at"))
    }

    static func outcome(_ r: Cells) throws -> OutcomeRecord {
        OutcomeRecord(
            id: try r.text("outcome_id"), opportunityID: try r.text("opportunity_id"), leadID: try r.text("lead_id"),
            result: try r.enumValue("result", table: "outcomes"),
            amount: Money(minorUnits: try r.int64("amount_minor"), currency: try r.text("currency")),
            closedAt: try r.date("closed_at"), reason: try r.optionalText("reason"))
    }

    static func alert(_ r: Cells) throws -> AlertRecord {
        AlertRecord(
            id: try r.text("alert_id"), kind: try r.text("kind"), leadID: try r.optionalText("lead_id"), target: try r.text("target"),
            payload: try r.json("payload"), createdAt: try r.date("created_at"),
            deliveredAt: try r.optionalDate("delivered_at"), attempts: try r.int("attempts"),
            lastError: try r.optionalText("last_error"), nextAttemptAt: try r.optionalDate("next_attempt_at"),
            deadAt: try r.optionalDate("dead_at"), replayedAt: try r.optionalDate("replayed_at"))
    }
}
