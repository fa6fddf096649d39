import BatonSupport

/// The `qualification:` section of a playbook: named rules that make a lead an SQL or an MQL,
/// and the signals that mark high intent.
///
/// ```yaml
/// qualification:
///   rules:
///     - name: enterprise_ready          # SQL: fit criteria and a score threshold, all must hold
///       stage: sql
///       match: all                      # all (default) | any
///       when:
///         - {field: company_size, in: ["201-1000", "1000+"]}
///         - {field: budget_authority, equals: "yes"}
///         - {score: points, at_least: 600}
///     - name: engaged                   # MQL: engagement points reach the threshold
///       stage: mql
///       when:
///         - {score: engagement_points, at_least: 40}
///   high_intent:                        # any of these → priority high
///     - {field: demo_requests, at_least: 1}
/// ```
///
/// Decision: SQL rules are tried first, then MQL rules, each group in file order; the first rule
/// that holds decides, and no rule holding means `nurture`. Priority is `high` for an SQL or when
/// any `high_intent` condition holds, else `standard`. Every rule is evaluated and kept as evidence.
package struct QualificationPlaybook: Sendable, Equatable {
    package var rules: [QualificationRule]
    /// Any one holding makes the priority `high`.
    package var highIntent: [QualificationCondition]
    /// Rules over the lead's whole account (see ``AccountQualificationRule``); the flow applies them.
    package var accountRules: [AccountQualificationRule]

    package init(rules: [QualificationRule], highIntent: [QualificationCondition] = [], accountRules: [AccountQualificationRule] = []) {
        self.rules = rules
        self.highIntent = highIntent
        self.accountRules = accountRules
    }

    /// Every condition: rules first, then high-intent signals, then the account rules'.
    package var allConditions: [QualificationCondition] {
        rules.flatMap(\.conditions) + highIntent + accountRules.flatMap { $0.engagedWhen + $0.anyContact }
    }
}

/// One named rule: a stage it grants and the conditions that must hold (`all`) or of which one must (`any`).
package struct QualificationRule: Sendable, Equatable {
    package enum Match: String, Sendable, Codable, CaseIterable { case all, any }

    package var name: String
    /// `mql` or `sql`.
    package var stage: QualificationStage
    package var match: Match
    package var conditions: [QualificationCondition]
    /// Playbook line of the rule (for evidence and errors).
    package var line: Int

    package init(name: String, stage: QualificationStage, match: Match = .all, conditions: [QualificationCondition], line: Int = 0) {
        self.name = name
        self.stage = stage
        self.match = match
        self.conditions = conditions
        self.line = line
    }
}

/// What a condition looks at: a lead field, or one of the score's numbers.
package enum ConditionSubject: Sendable, Equatable, Hashable {
    case field(String)
    case score(ScoreMeasure)

    /// `field company_size` / `score engagement_points`.
    package var description: String {
        switch self {
        case .field(let name): return "field \(name)"
        case .score(let measure): return "score \(measure.rawValue)"
        }
    }
}

/// The numbers of a ``LeadScore`` a condition can test.
package enum ScoreMeasure: String, Sendable, Codable, CaseIterable {
    case points
    case fitPoints = "fit_points"
    case engagementPoints = "engagement_points"
    case probability
}

/// The test a condition applies. Text tests compare the trimmed value (for a categorical model
/// feature, after its recode map); number tests need a number (a missing or non-numeric value fails).
package enum ConditionTest: Sendable, Equatable {
    case isIn([String])
    case notIn([String])
    case equals(String)
    case notEquals(String)
    case atLeast(Double)
    case above(Double)
    case atMost(Double)
    case below(Double)
    /// `true`: the value is non-empty (for an event-fed field, at least one event); `false`: the opposite.
    case present(Bool)

    /// `in [201-1000, 1000+]`, `≥ 600`, `present`.
    package var description: String {
        func number(_ x: Double) -> String { x.plainText }
        switch self {
        case .isIn(let values): return "in [\(values.joined(separator: ", "))]"
        case .notIn(let values): return "not in [\(values.joined(separator: ", "))]"
        case .equals(let value): return "= \(value)"
        case .notEquals(let value): return "≠ \(value)"
        case .atLeast(let x): return "≥ \(number(x))"
        case .above(let x): return "> \(number(x))"
        case .atMost(let x): return "≤ \(number(x))"
        case .below(let x): return "< \(number(x))"
        case .present(let wanted): return wanted ? "present" : "absent"
        }
    }

    /// The text values a text test lists.
    var listedValues: [String] {
        switch self {
        case .isIn(let values), .notIn(let values): return values
        case .equals(let value), .notEquals(let value): return [value]
        default: return []
        }
    }

    /// Whether `value` (nil = missing) passes.
    func passes(text value: String?) -> Bool {
        switch self {
        case .isIn(let values): return value.map(values.contains) ?? false
        case .notIn(let values): return value.map { !values.contains($0) } ?? false
        case .equals(let expected): return value == expected
        case .notEquals(let expected): return value.map { $0 != expected } ?? false
        case .present(let wanted): return (value.map { !$0.isEmpty } ?? false) == wanted
        case .atLeast, .above, .atMost, .below:
            guard let value, let number = Double(value), number.isFinite else { return false }
            return passes(number: number)
        }
    }

    /// Whether the number passes (text tests compare its shortest spelling, `present` needs a number).
    func passes(number x: Double?) -> Bool {
        switch self {
        case .atLeast(let t): return x.map { $0 >= t } ?? false
        case .above(let t): return x.map { $0 > t } ?? false
        case .atMost(let t): return x.map { $0 <= t } ?? false
        case .below(let t): return x.map { $0 < t } ?? false
        case .present(let wanted): return (x != nil) == wanted
        case .isIn, .notIn, .equals, .notEquals:
            return passes(text: x.map(\.plainText))
        }
    }
}

/// Which number a field condition reads for an engagement feature that events feed (`value:`).
package enum EventFieldReading: String, Sendable, Equatable, CaseIterable {
    /// The number of matching events up to the scoring time (the default): once events feed the
    /// field, a stale form value never wins over them, and `at_least: 1` means "did it".
    case count
    /// The decayed sum `Σ 0.5^(age/h)` the score used; the model's feature must have `half_life_days`.
    case decayed
}

/// One condition of a rule.
package struct QualificationCondition: Sendable, Equatable {
    package var subject: ConditionSubject
    package var test: ConditionTest
    /// Playbook line (for evidence and errors).
    package var line: Int
    /// `value: count|decayed` (default count).
    package var reading: EventFieldReading

    package init(subject: ConditionSubject, test: ConditionTest, line: Int = 0, reading: EventFieldReading = .count) {
        self.subject = subject
        self.test = test
        self.line = line
        self.reading = reading
    }
}
