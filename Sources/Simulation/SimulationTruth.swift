import Foundation
import HandoffFlow

/// Known answers of a simulated event log: what a correct replay stores and what a correct
/// review reports. Every number is counted from the engine's own effects and the events sent,
/// so it holds for any seed.
package struct SimulationTruth: Codable, Sendable, Hashable {
    /// Met / missed counts of one SLA policy.
    package struct Compliance: Codable, Sendable, Hashable {
        package var met = 0
        package var missed = 0
        package init() {}
    }

    /// Engine-side first touches of one policy (every hand-off, reassignments included).
    package struct FirstTouches: Codable, Sendable, Hashable {
        package var withinSLA = 0
        package var late = 0
        package init() {}
        enum CodingKeys: String, CodingKey {
            case late
            case withinSLA = "within_sla"
        }
    }

    /// The planted speed effect and what it produced.
    package struct SpeedEffect: Codable, Sendable, Hashable {
        package var description = ""
        package var lateWinKeepProbability = 0.0
        /// Leads whose first hand-off was touched within the SLA, and those touched late.
        package var touchedWithinSLA = 0
        package var touchedLate = 0
        /// Of those, leads the true model says would buy, and leads won.
        package var wouldBuyWithinSLA = 0
        package var wouldBuyLate = 0
        package var wonWithinSLA = 0
        package var wonLate = 0
        /// Buyers never handed off, and buyers handed off but never touched (no win without a touch).
        package var wouldBuyNotHandedOff = 0
        package var wouldBuyUntouched = 0
        package init() {}

        enum CodingKeys: String, CodingKey {
            case description
            case lateWinKeepProbability = "late_win_keep_probability"
            case touchedWithinSLA = "touched_within_sla", touchedLate = "touched_late"
            case wouldBuyWithinSLA = "would_buy_within_sla", wouldBuyLate = "would_buy_late"
            case wonWithinSLA = "won_within_sla", wonLate = "won_late"
            case wouldBuyNotHandedOff = "would_buy_not_handed_off", wouldBuyUntouched = "would_buy_untouched"
        }
    }

    /// One rep's drawn personality.
    package struct RepProfile: Codable, Sendable, Hashable {
        package var ignoreShare: Double
        package var lateShare: Double
        enum CodingKeys: String, CodingKey {
            case ignoreShare = "ignore_share", lateShare = "late_share"
        }
    }

    /// What a review of one period must find. Hand-off figures count leads whose FIRST
    /// assignment lies in the period (UTC); SLA per policy judges that first hand-off (met when
    /// its first touch came within the policy's business-hour target); dispositions are each such
    /// lead's latest; `won` counts such leads won. Cohort figures count leads created in the period.
    /// A first hand-off to a fallback queue (nobody could take the lead) is a routing/capacity
    /// failure, not a rep's miss: it counts in `handoffs` and `parked`, not in `sla`.
    package struct Period: Codable, Sendable, Hashable {
        package var handoffs = 0
        package var parked = 0
        package var handoffsByPriority: [String: Int] = [:]
        package var sla: [String: Compliance] = [:]
        package var dispositionsByCode: [String: Int] = [:]
        package var won = 0
        package var leadsCreated = 0
        package var cohortWon = 0
        package var cohortWonMinorUnits: [String: Int64] = [:]
        package init() {}

        enum CodingKeys: String, CodingKey {
            case handoffs, sla, won, parked
            case handoffsByPriority = "handoffs_by_priority"
            case dispositionsByCode = "dispositions_by_code"
            case leadsCreated = "leads_created", cohortWon = "cohort_won", cohortWonMinorUnits = "cohort_won_minor_units"
        }
    }

    package var seed: UInt64
    package var leads = 0
    /// Distinct events (ids), lines of the file (distinct + retries), and retried lines.
    package var events = 0
    package var lines = 0
    package var duplicates = 0
    /// Distinct events per `type`.
    package var eventsByType: [String: Int] = [:]
    package var contactAttempts = 0
    /// Disposition events per code.
    package var dispositionsByCode: [String: Int] = [:]
    package var opportunities = 0
    package var won = 0
    package var lost = 0
    /// Won amounts per currency in minor units (cents).
    package var wonMinorUnits: [String: Int64] = [:]
    /// Hand-offs to a rep (reassignments included) per priority.
    package var handoffsByPriority: [String: Int] = [:]
    /// The engine's first-touch verdicts per policy.
    package var firstTouches: [String: FirstTouches] = [:]
    /// Leads ever assigned (rep or queue), and leads never handed off.
    package var leadsHandedOff = 0
    package var leadsNeverHandedOff = 0
    /// Per lead handed off by an event: the id of the event whose processing handed it off first
    /// (the moment a training export reads the lead as of; a lead first parked or assigned by a
    /// scheduler step is absent).
    package var firstHandoffEvents: [String: String] = [:]
    /// Each lead's first hand-off to a rep judged against its policy (the review's view; leads parked in a fallback queue at their first hand-off are left out).
    package var firstHandoffSLA: [String: Compliance] = [:]
    package var speedEffect = SpeedEffect()
    package var reps: [String: RepProfile] = [:]
    /// What `baton handoff replay --json` of the log prints (its `rejected` empty).
    package var replay = ReplaySummary()
    /// By ISO week (`2024-W03`) and by month (`2024-01`), UTC.
    package var weeks: [String: Period] = [:]
    package var months: [String: Period] = [:]
    /// With `--accounts`: every lead's person and company (``SyntheticIdentities``), the truth the
    /// account matcher and the duplicate merge are measured against. Absent otherwise.
    package var identities: [String: SyntheticIdentities.Identity]?

    package init(seed: UInt64) {
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case seed, leads, events, lines, duplicates, opportunities, won, lost, reps, replay, weeks, months, identities
        case eventsByType = "events_by_type"
        case contactAttempts = "contact_attempts"
        case dispositionsByCode = "dispositions_by_code"
        case wonMinorUnits = "won_minor_units"
        case handoffsByPriority = "handoffs_by_priority"
        case firstTouches = "first_touches"
        case leadsHandedOff = "leads_handed_off", leadsNeverHandedOff = "leads_never_handed_off"
        case firstHandoffEvents = "first_handoff_events"
        case firstHandoffSLA = "first_handoff_sla"
        case speedEffect = "speed_effect"
    }

    /// Pretty JSON, sorted keys, ending in a newline (same truth, same bytes).
    package func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
