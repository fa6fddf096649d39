import Foundation
import HandoffPersistence
import HandoffRules
import ScoringModelFormat

/// One lead as the model saw it when it was scored for hand-off, with the closed loop's verdict:
/// a row of `baton training export` (built by ``TrainingRow/rows(from:asOf:features:)``).
///
/// **The moment.** For a lead handed off before the as-of instant, the moment is the score that
/// handed it off: the score stored in the same unit of work as the lead's first assignment (the
/// first score at that instant whose decision reached MQL or SQL). For a lead never handed off,
/// it is its latest score before the as-of instant and before any opportunity or outcome of its
/// own. The row then holds what the store held when that score was committed: the lead's fields
/// merged from its `lead_created` and `lead_updated` events up to and including the event that
/// triggered the score (in arrival order), and each numeric feature as the scorer computed it
/// from those fields and the engagement events stored by then (a count feature is the field's
/// value plus the feeding events; a `half_life_days` feature is the decayed sum at the moment).
/// Nothing stored after that unit — a later engagement, field update or score — reaches the row.
///
/// **The outcome.** `won` when a won outcome closed before the as-of instant, else `lost` when a
/// lost one did, else `lost` when the lead's latest disposition before the as-of instant closed it
/// (sales disqualified it: a code with no re-engage date, such as `wrong_fit`), else `open` — a
/// lead recycled to nurture with a re-engage date, or never worked, is open, never read as lost.
package struct TrainingRow: Sendable, Hashable {
    package enum Outcome: String, Sendable, Hashable, CaseIterable {
        case won, lost, open
    }

    package var leadID: String
    package var createdAt: Date
    /// The moment (see the type's discussion); nil for a lead the store never scored.
    package var scoredAt: Date?
    /// Whether the lead was handed off (assigned to a rep or queue) before the as-of instant.
    package var handedOff: Bool
    /// The score at the moment: weight file SHA-256, points and probability.
    package var scoreModel: String?
    package var scorePoints: Double?
    package var scoreProbability: Double?
    /// Feature column → value as the scorer saw it ("" when the lead had none).
    package var values: [String: String]
    package var outcome: Outcome
    /// Close date of the outcome (won / lost) or of the disqualifying disposition, nil while open.
    package var closedAt: Date?
    /// Why it closed: `won` or `lost` with the CRM's reason (`lost: price`), or
    /// `disposition: <code>`; empty while open.
    package var closedBy: String

    /// The columns a training CSV carries before the features, in order.
    package static let metaColumns = [
        "lead_id", "created_at", "scored_at", "handed_off", "score_model", "score_points", "score_probability",
        "outcome", "won", "closed_at", "closed_by",
    ]

    /// The rows of `histories` as of `asOf` (rows and outcomes stored before it), features named by `features`.
    package static func rows(from histories: [LeadHistory], asOf: Date, features: [FeatureSpec]) -> [TrainingRow] {
        let counted = features.filter { $0.type == .numeric && $0.halfLifeDays == nil }.map(\.column)
        return histories.filter { $0.lead.createdAt < asOf }.map { row($0, asOf: asOf, features: features, counted: counted) }
    }

    static func row(_ history: LeadHistory, asOf: Date, features: [FeatureSpec], counted: [String]) -> TrainingRow {
        let (score, handedOff) = moment(history, asOf: asOf)
        // The journal up to the unit of work that stored the score.
        var journal = history.events
        if let score {
            if let trigger = score.triggerEventID, let cut = journal.firstIndex(where: { $0.id == trigger }) {
                journal = Array(journal[...cut])
            } else {
                journal = journal.filter { $0.receivedAt <= score.scoredAt }
            }
        } else {
            journal = []
        }
        var fields: [String: String] = [:]
        let fieldRows = history.events.filter { LeadHistoryQuery.fieldTypes.contains($0.type) }
        if fieldRows.isEmpty {
            // A store filled without the journal (an import): its fields are all there is.
            fields = history.lead.fieldValues
        } else {
            for event in journal where LeadHistoryQuery.fieldTypes.contains(event.type) {
                let payload = try? event.payload.decode(FieldsPayload.self)
                fields.merge(payload?.fields ?? [:]) { _, new in new }
            }
        }
        let engagement = journal.filter { !HandoffEngine.reservedTypes.contains($0.type) }.map {
            EngagementEvent(type: $0.type, occurredAt: $0.occurredAt)
        }
        let at = score?.scoredAt ?? history.lead.createdAt
        let effective = HandoffEngine.effectiveFields(fields, events: engagement, at: at, countedColumns: counted)
        var values: [String: String] = [:]
        for feature in features {
            if let halfLife = feature.halfLifeDays, feature.type == .numeric, !engagement.isEmpty {
                let value = EngagementDecay.decayedValue(events: engagement, column: feature.column, halfLifeDays: halfLife, at: at)
                values[feature.column] = "\(value)"
            } else {
                values[feature.column] = effective[feature.column] ?? ""
            }
        }
        let closed = history.outcomes.filter { $0.closedAt < asOf }
        var outcome = TrainingRow.Outcome.open
        var closedAt: Date?
        var closedBy = ""
        if let won = closed.first(where: { $0.result == .won }) {
            (outcome, closedAt, closedBy) = (.won, won.closedAt, won.reason.map { "won: \($0)" } ?? "won")
        } else if let lost = closed.first(where: { $0.result == .lost }) {
            (outcome, closedAt, closedBy) = (.lost, lost.closedAt, lost.reason.map { "lost: \($0)" } ?? "lost")
        } else if let last = history.dispositions.last(where: { $0.decidedAt < asOf }), last.reengageAt == nil,
            !history.opportunities.contains(where: { $0.openedAt >= last.decidedAt && $0.openedAt < asOf })
        {
            (outcome, closedAt, closedBy) = (.lost, last.decidedAt, "disposition: \(last.code)")
        }
        return TrainingRow(
            leadID: history.lead.id, createdAt: history.lead.createdAt, scoredAt: score?.scoredAt, handedOff: handedOff,
            scoreModel: score?.model.sha256, scorePoints: score?.points, scoreProbability: score?.probability,
            values: values, outcome: outcome, closedAt: closedAt, closedBy: closedBy)
    }

    /// The score that stands for the lead (see the type's discussion) and whether it was handed off.
    static func moment(_ history: LeadHistory, asOf: Date) -> (ScoreRecord?, Bool) {
        let scores = history.scores.filter { $0.scoredAt < asOf }
        let assignments = history.assignments.filter { $0.assignedAt < asOf }
        if let first = assignments.min(by: { ($0.assignedAt, $0.rowID ?? 0) < ($1.assignedAt, $1.rowID ?? 0) }) {
            let at = first.assignedAt
            let scored = scores.filter { $0.scoredAt == at }
            let decided = history.decisions.filter { $0.decidedAt == at }
            // Each evaluation stores a score and then its decision: at one instant they pair in order.
            if scored.count == decided.count, let i = decided.firstIndex(where: { $0.stage >= .mql }) {
                return (scored[i], true)
            }
            if let score = scored.first { return (score, true) }
            // Assigned by hand without a score at that instant: the latest score before it.
            return (scores.last { $0.scoredAt <= at }, true)
        }
        let closedLoop = (history.opportunities.map(\.openedAt) + history.outcomes.map(\.closedAt)).min()
        let before = scores.filter { score in closedLoop.map { score.scoredAt < $0 } ?? true }
        return (before.last ?? scores.first, false)
    }

    struct FieldsPayload: Decodable {
        var fields: [String: String]?
    }
}
