import Foundation
import ScoringModelFormat

/// Follow-up promises for one priority, all in the assigned rep's business time.
///
/// Escalation chain when the first touch is late: at the deadline the breach is recorded and
/// the rep reminded; `notifyManagerAfterHours` business hours after the deadline the manager
/// is notified; `reassignAfterHours` after the deadline the lead is taken back for reassignment.
/// A lead may go back to nurture as `unresponsive` only after `minimumAttempts` contact
/// attempts; attempts short of that when `attemptWindowDays` business days have passed since
/// the hand-off are a cadence breach (recorded, manager notified).
package struct SLAPolicy: Sendable, Hashable {
    /// The policy's name in the playbook (`high`, `standard`).
    package let name: String
    /// Business hours from hand-off to the first touch (> 0).
    package let firstTouchHours: Double
    /// Business hours after the breach before the manager is notified (≥ 0; 0 = at the breach).
    package let notifyManagerAfterHours: Double
    /// Business hours after the breach before the lead is reassigned (> 0, ≥ the manager step).
    package let reassignAfterHours: Double
    /// Contact attempts needed before `unresponsive` (≥ 0).
    package let minimumAttempts: Int
    /// Business days, from the hand-off, in which the minimum attempts are due (≥ 1).
    package let attemptWindowDays: Int

    /// Preconditions as documented on each property (playbook input is checked when decoded).
    package init(
        name: String, firstTouchHours: Double, notifyManagerAfterHours: Double, reassignAfterHours: Double,
        minimumAttempts: Int, attemptWindowDays: Int
    ) {
        precondition(firstTouchHours > 0 && firstTouchHours.isFinite, "first-touch hours must be > 0")
        precondition(notifyManagerAfterHours >= 0 && notifyManagerAfterHours.isFinite, "manager step must be ≥ 0")
        precondition(
            reassignAfterHours > 0 && reassignAfterHours >= notifyManagerAfterHours && reassignAfterHours.isFinite,
            "reassign step must be > 0 and not before the manager step")
        precondition(minimumAttempts >= 0 && attemptWindowDays >= 1, "attempts ≥ 0 over a window ≥ 1 business day")
        self.name = name
        self.firstTouchHours = firstTouchHours
        self.notifyManagerAfterHours = notifyManagerAfterHours
        self.reassignAfterHours = reassignAfterHours
        self.minimumAttempts = minimumAttempts
        self.attemptWindowDays = attemptWindowDays
    }

    /// High intent (demo request, SQL): first touch within 1 business hour; manager after 1
    /// more, reassign after 2 more; 6 attempts in 10 business days.
    package static let high = SLAPolicy(
        name: "high", firstTouchHours: 1, notifyManagerAfterHours: 1, reassignAfterHours: 2,
        minimumAttempts: 6, attemptWindowDays: 10)
    /// Standard: first touch within 4 business hours; manager after 4 more, reassign after 8
    /// more (one working day); 6 attempts in 10 business days.
    package static let standard = SLAPolicy(
        name: "standard", firstTouchHours: 4, notifyManagerAfterHours: 4,
        reassignAfterHours: 8, minimumAttempts: 6, attemptWindowDays: 10)
}

/// The playbook's `sla:` section: per-priority policies, default working hours and named
/// holiday lists (reps pick one with `holidays: NAME`).
///
/// ```yaml
/// sla:
///   working_hours: {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}
///   holidays:
///     us: [2026-11-26, 2026-12-25]
///     de: [2026-12-24, 2026-12-25, 2026-12-26]
///   policies:
///     high:
///       first_touch_hours: 1
///       escalation: {notify_manager_after_hours: 1, reassign_after_hours: 2}
///       attempts: {minimum: 6, within_business_days: 10}
///     standard:
///       first_touch_hours: 4
/// ```
/// Omitted `policies` default to ``SLAPolicy/high`` and ``SLAPolicy/standard``; omitted keys
/// inside a policy take those defaults (the `high` ones for `high`, else the `standard` ones).
package struct SLAPolicies: Sendable, Hashable {
    /// Policies by name; always holds `high` and `standard`.
    package let policies: [String: SLAPolicy]
    /// Working hours for reps who give none.
    package let workingHours: WorkingHours
    /// Holiday lists by name.
    package let holidays: [String: [LocalDate]]
    /// `touches_from`: reps whose attempts stop any owner's first-touch clock (a team pool such as
    /// an SDR desk). Any other rep's attempt on a lead they do not own is an assist: recorded, but
    /// the owner's clock runs on.
    package let touchesFrom: Set<String>
    /// The playbook line of `touches_from`, for the check that names only known reps.
    package let touchesFromLine: Int?

    /// Precondition: `policies` has `high` and `standard`, each stored under its own name.
    package init(
        policies: [String: SLAPolicy] = ["high": .high, "standard": .standard],
        workingHours: WorkingHours = .nineToFive, holidays: [String: [LocalDate]] = [:],
        touchesFrom: Set<String> = [], touchesFromLine: Int? = nil
    ) {
        precondition(policies["high"] != nil && policies["standard"] != nil, "SLA policies need `high` and `standard`")
        precondition(policies.allSatisfy { $0.key == $0.value.name }, "each SLA policy is stored under its own name")
        self.policies = policies
        self.workingHours = workingHours
        self.holidays = holidays
        self.touchesFrom = touchesFrom
        self.touchesFromLine = touchesFromLine
    }

    /// Whether an attempt by `repID` counts as a touch on a lead `ownerID` holds.
    package func touchCounts(by repID: String, owner ownerID: String) -> Bool {
        repID == ownerID || touchesFrom.contains(repID)
    }

    /// The policy called `name` (`high` / `standard`, or a playbook's own name).
    package func policy(named name: String) throws(SLAError) -> SLAPolicy {
        guard let policy = policies[name] else { throw .unknownPolicy(name: name, known: policies.keys.sorted()) }
        return policy
    }
}

extension SLAPolicies {
    /// The keys of the `sla:` section.
    static let keys = ["working_hours", "holidays", "policies", "touches_from"]

    /// Reads the `sla:` section.
    static func read(_ entry: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> SLAPolicies {
        let fields = try reader.entries(entry, allowed: keys)
        let hours =
            try reader.given(fields, "working_hours").map { (entry) throws(PlaybookError) in try WorkingHours.read(entry, reader: reader) }
            ?? .nineToFive
        var holidays: [String: [LocalDate]] = [:]
        if let listsEntry = reader.given(fields, "holidays") {
            for (name, list) in try reader.orderedEntries(listsEntry, allowed: nil) {
                var days: [LocalDate] = []
                if !list.isNull {
                    for day in try reader.items(list, expected: "a list of dates, e.g. `[2026-12-24, 2026-12-25]`") {
                        days.append(try LocalDate.read(day, reader: reader))
                    }
                }
                holidays[name] = days
            }
        }
        var policies: [String: SLAPolicy] = ["high": .high, "standard": .standard]
        if let policiesEntry = reader.given(fields, "policies") {
            for (name, policyEntry) in try reader.orderedEntries(policiesEntry, allowed: nil) {
                policies[name] = try SLAPolicy.read(policyEntry, named: name, defaults: name == "high" ? .high : .standard, reader: reader)
            }
        }
        let pool = reader.given(fields, "touches_from")
        let touchesFrom = try pool.map { (entry) throws(PlaybookError) in Set(try reader.texts(entry)) } ?? []
        return SLAPolicies(policies: policies, workingHours: hours, holidays: holidays, touchesFrom: touchesFrom, touchesFromLine: pool?.line)
    }
}

extension SLAPolicy {
    /// The keys of one entry of `sla.policies`, of its `escalation` and of its `attempts`.
    static let keys = ["first_touch_hours", "escalation", "attempts"]
    static let escalationKeys = ["notify_manager_after_hours", "reassign_after_hours"]
    static let attemptsKeys = ["minimum", "within_business_days"]

    /// Reads one entry of `sla.policies`; keys not given take `defaults`.
    static func read(_ entry: YAMLEntry, named name: String, defaults: SLAPolicy, reader: PlaybookReader) throws(PlaybookError) -> SLAPolicy {
        let fields = entry.isNull ? [:] : try reader.entries(entry, allowed: keys)
        let escalation = try reader.given(fields, "escalation").map { (entry) throws(PlaybookError) in
            try reader.entries(entry, allowed: escalationKeys)
        }
        let attempts = try reader.given(fields, "attempts").map { (entry) throws(PlaybookError) in
            try reader.entries(entry, allowed: attemptsKeys)
        }
        func number(_ fields: [String: YAMLEntry]?, _ key: String) throws(PlaybookError) -> Double? {
            try fields.flatMap { reader.given($0, key) }.map(reader.number)
        }
        func whole(_ fields: [String: YAMLEntry]?, _ key: String) throws(PlaybookError) -> Int? {
            try fields.flatMap { reader.given($0, key) }.map(reader.wholeNumber)
        }
        let firstTouch = try number(fields, "first_touch_hours") ?? defaults.firstTouchHours
        let manager = try number(escalation, "notify_manager_after_hours") ?? defaults.notifyManagerAfterHours
        let reassign = try number(escalation, "reassign_after_hours") ?? defaults.reassignAfterHours
        let minimum = try whole(attempts, "minimum") ?? defaults.minimumAttempts
        let window = try whole(attempts, "within_business_days") ?? defaults.attemptWindowDays
        guard firstTouch > 0 else { throw reader.invalid(entry, "first_touch_hours \(firstTouch) must be a positive number of business hours") }
        guard manager >= 0 else {
            throw reader.invalid(entry, "escalation.notify_manager_after_hours \(manager) must be ≥ 0 business hours after the breach")
        }
        guard reassign > 0, reassign >= manager else {
            throw reader.invalid(
                entry,
                "escalation.reassign_after_hours \(reassign) must be > 0 and not before notify_manager_after_hours (\(manager)); the reassignment is the last step"
            )
        }
        guard minimum >= 0 else { throw reader.invalid(entry, "attempts.minimum \(minimum) must be ≥ 0") }
        guard window >= 1 else { throw reader.invalid(entry, "attempts.within_business_days \(window) must be ≥ 1") }
        return SLAPolicy(
            name: name, firstTouchHours: firstTouch, notifyManagerAfterHours: manager,
            reassignAfterHours: reassign, minimumAttempts: minimum, attemptWindowDays: window)
    }
}
