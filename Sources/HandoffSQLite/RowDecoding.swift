import Foundation
import GRDB
import HandoffPersistence

/// Row → record mapping. Column lists live next to the decoders so a SELECT and its decoder
/// cannot drift apart.
enum Columns {
    static let lead = "id, fields, source, campaign, created_at, updated_at"
    static let event = "event_id, lead_id, type, occurred_at, received_at, payload"
    static let score =
        "id, lead_id, model_sha256, model_format, probability, points, fit_points, engagement_points, reasons, scored_at, trigger_event_id"
    static let decision = "id, lead_id, stage, priority, rule, evidence, decided_at, score_id"
    static let assignment = "id, lead_id, rep_id, queue, rule, assigned_at, unassigned_at, unassign_reason"
    static let rep = "id, name, time_zone, status, left_at, profile, updated_at"
    static let timer = "id, lead_id, policy, due_at, state, escalation_step, fired_steps, started_at, updated_at"
    static let attempt = "attempt_id, lead_id, rep_id, channel, result, attempted_at, note"
    static let disposition = "disposition_id, lead_id, rep_id, code, note, reengage_at, decided_at"
    static let opportunity = "id, lead_id, amount_minor, currency, stage, opened_at, updated_at"
    static let outcome = "outcome_id, opportunity_id, lead_id, result, amount_minor, currency, closed_at, reason"
    static let alert =
        "alert_id, kind, lead_id, target, payload, created_at, delivered_at, attempts, last_error, next_attempt_at, dead_at, replayed_at"
}

enum Decode {
    static func date(_ row: Row, _ column: String) -> Date { Date(storeMillis: row[column]) }
    static func optionalDate(_ row: Row, _ column: String) -> Date? { (row[column] as Int64?).map(Date.init(storeMillis:)) }
    static func json(_ row: Row, _ column: String) -> JSONText { JSONText(trusted: row[column]) }

    static func enumValue<E: RawRepresentable>(_ row: Row, _ column: String, table: String) throws -> E where E.RawValue == String {
        let raw: String = row[column]
        guard let value = E(rawValue: raw) else {
            throw StoreError.database(operation: "reading \(table)", message: "unexpected \(column) '\(raw)'")
        }
        return value
    }

    static func lead(_ row: Row) -> LeadRecord {
        LeadRecord(
            id: row["id"], fields: json(row, "fields"), source: row["source"], campaign: row["campaign"],
            createdAt: date(row, "created_at"), updatedAt: date(row, "updated_at"))
    }

    static func event(_ row: Row) -> EngagementEventRecord {
        EngagementEventRecord(
            id: row["event_id"], leadID: row["lead_id"], type: row["type"], occurredAt: date(row, "occurred_at"),
            receivedAt: date(row, "received_at"), payload: json(row, "payload"))
    }

    static func score(_ row: Row) -> ScoreRecord {
        ScoreRecord(
            rowID: row["id"], leadID: row["lead_id"],
            model: ModelVersion(sha256: row["model_sha256"], format: row["model_format"]),
            probability: row["probability"], points: row["points"], fitPoints: row["fit_points"],
            engagementPoints: row["engagement_points"], reasons: json(row, "reasons"),
            scoredAt: date(row, "scored_at"), triggerEventID: row["trigger_event_id"])
    }

    static func decision(_ row: Row) throws -> QualificationDecisionRecord {
        QualificationDecisionRecord(
            rowID: row["id"], leadID: row["lead_id"],
            stage: try enumValue(row, "stage", table: "qualification_decisions"),
            priority: try enumValue(row, "priority", table: "qualification_decisions"), rule: row["rule"], evidence: json(row, "evidence"),
            decidedAt: date(row, "decided_at"), scoreRowID: row["score_id"])
    }

    static func assignment(_ row: Row) -> AssignmentRecord {
        let rep: String? = row["rep_id"]
        let queue: String? = row["queue"]
        return AssignmentRecord(
            rowID: row["id"], leadID: row["lead_id"],
            target: rep.map(AssignmentTarget.rep) ?? .fallbackQueue(queue ?? ""),
            rule: row["rule"], assignedAt: date(row, "assigned_at"),
            unassignedAt: optionalDate(row, "unassigned_at"), unassignReason: row["unassign_reason"])
    }

    static func rep(_ row: Row) throws -> RepRecord {
        RepRecord(
            id: row["id"], name: row["name"], timeZone: row["time_zone"],
            status: try enumValue(row, "status", table: "reps"), leftAt: optionalDate(row, "left_at"),
            profile: json(row, "profile"), updatedAt: date(row, "updated_at"))
    }

    static func timer(_ row: Row) throws -> SLATimerRecord {
        SLATimerRecord(
            id: row["id"], leadID: row["lead_id"], policy: row["policy"], dueAt: date(row, "due_at"),
            state: try enumValue(row, "state", table: "sla_timers"), escalationStep: row["escalation_step"],
            firedSteps: try json(row, "fired_steps").decode([FiredEscalationStep].self),
            startedAt: date(row, "started_at"), updatedAt: date(row, "updated_at"))
    }

    static func attempt(_ row: Row) -> ContactAttemptRecord {
        ContactAttemptRecord(
            id: row["attempt_id"], leadID: row["lead_id"], repID: row["rep_id"], channel: row["channel"],
            result: row["result"], attemptedAt: date(row, "attempted_at"), note: row["note"])
    }

    static func disposition(_ row: Row) -> DispositionRecord {
        DispositionRecord(
            id: row["disposition_id"], leadID: row["lead_id"], repID: row["rep_id"], code: row["code"],
            note: row["note"], reengageAt: optionalDate(row, "reengage_at"), decidedAt: date(row, "decided_at"))
    }

    static func opportunity(_ row: Row) -> OpportunityRecord {
        OpportunityRecord(
            id: row["id"], leadID: row["lead_id"],
            amount: Money(minorUnits: row["amount_minor"], currency: row["currency"]), stage: row["stage"],
            openedAt: date(row, "opened_at"), updatedAt: date(row, "updated_at"))
    }

    static func outcome(_ row: Row) throws -> OutcomeRecord {
        OutcomeRecord(
            id: row["outcome_id"], opportunityID: row["opportunity_id"], leadID: row["lead_id"],
            result: try enumValue(row, "result", table: "outcomes"),
            amount: Money(minorUnits: row["amount_minor"], currency: row["currency"]),
            closedAt: date(row, "closed_at"), reason: row["reason"])
    }

    static func alert(_ row: Row) -> AlertRecord {
        AlertRecord(
            id: row["alert_id"], kind: row["kind"], leadID: row["lead_id"], target: row["target"],
            payload: json(row, "payload"), createdAt: date(row, "created_at"),
            deliveredAt: optionalDate(row, "delivered_at"), attempts: row["attempts"], lastError: row["last_error"],
            nextAttemptAt: optionalDate(row, "next_attempt_at"), deadAt: optionalDate(row, "dead_at"),
            replayedAt: optionalDate(row, "replayed_at"))
    }
}
