import BatonSupport
import ScoringModelFormat
import Yams

extension QualificationPlaybook {
    /// The tests a condition can make; it makes exactly one.
    static let testKeys = ["in", "not_in", "equals", "not_equals", "at_least", "above", "at_most", "below", "present"]

    static let sectionKeys = ["rules", "high_intent", "account_rules"]
    static let ruleKeys = ["name", "stage", "match", "when"]
    static let conditionKeys = ["field", "score", "value"] + testKeys

    /// Reads the `qualification:` section node.
    static func read(_ entry: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> QualificationPlaybook {
        let fields = try reader.entries(entry, allowed: sectionKeys)
        guard let rulesEntry = fields["rules"] else {
            throw .yaml(
                .missingKey(
                    file: reader.file, line: entry.line, key: "\(entry.key).rules",
                    hint: "List the rules, e.g. `rules: [{name: engaged, stage: mql, when: [{score: engagement_points, at_least: 40}]}]`."))
        }
        var rules: [QualificationRule] = []
        var firstLine: [String: Int] = [:]
        for item in try reader.items(rulesEntry) {
            let rule = try readRule(item, reader: reader)
            if let first = firstLine[rule.name] {
                throw .duplicateRule(file: reader.file, line: rule.line, name: rule.name, firstLine: first)
            }
            firstLine[rule.name] = rule.line
            rules.append(rule)
        }
        var highIntent: [QualificationCondition] = []
        if let intentEntry = fields["high_intent"] {
            for item in try reader.items(intentEntry) { highIntent.append(try readCondition(item, reader: reader)) }
        }
        var accountRules: [AccountQualificationRule] = []
        if let accountEntry = fields["account_rules"] {
            for item in try reader.items(accountEntry) {
                let rule = try AccountQualificationRule.read(item, reader: reader)
                if let first = firstLine[rule.name] {
                    throw .duplicateRule(file: reader.file, line: rule.line, name: rule.name, firstLine: first)
                }
                firstLine[rule.name] = rule.line
                accountRules.append(rule)
            }
        }
        return QualificationPlaybook(rules: rules, highIntent: highIntent, accountRules: accountRules)
    }

    static func readRule(_ item: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> QualificationRule {
        let fields = try reader.entries(item, allowed: ruleKeys)
        guard let nameEntry = fields["name"] else {
            throw .yaml(
                .missingKey(
                    file: reader.file, line: item.line, key: "\(item.key).name", hint: "Name the rule; the name is stored as qualification evidence.")
            )
        }
        let name = try reader.text(nameEntry)
        guard let stageEntry = fields["stage"] else {
            throw .yaml(
                .missingKey(file: reader.file, line: item.line, key: "\(item.key).stage", hint: "Say which stage the rule grants: mql or sql."))
        }
        let stage = try reader.choice(stageEntry, from: [QualificationStage.mql, .sql])
        let match =
            try fields["match"].map { (entry) throws(PlaybookError) in try reader.choice(entry, as: QualificationRule.Match.self) } ?? .all
        guard let whenEntry = fields["when"] else {
            throw .yaml(
                .missingKey(
                    file: reader.file, line: item.line, key: "\(item.key).when",
                    hint: "List the conditions, e.g. `when: [{field: budget_authority, equals: \"yes\"}]`."))
        }
        var conditions: [QualificationCondition] = []
        for condition in try reader.items(whenEntry) { conditions.append(try readCondition(condition, reader: reader)) }
        guard !conditions.isEmpty else {
            throw .yaml(.wrongShape(file: reader.file, line: whenEntry.line, key: whenEntry.key, expected: "a non-empty list of conditions"))
        }
        if match == .all { try checkSatisfiable(conditions, rule: name, entry: whenEntry, reader: reader) }
        return QualificationRule(name: name, stage: stage, match: match, conditions: conditions, line: item.line)
    }

    /// A `match: all` rule whose number tests on one subject leave no value (`at_least: 500` and
    /// `at_most: 400`) can never fire: refused with both bounds, rather than passing without a word.
    static func checkSatisfiable(
        _ conditions: [QualificationCondition], rule: String, entry: YAMLEntry, reader: PlaybookReader
    ) throws(PlaybookError) {
        var bounds: [ConditionSubject: (low: Double, lowOpen: Bool, high: Double, highOpen: Bool)] = [:]
        for condition in conditions {
            var b = bounds[condition.subject] ?? (-.infinity, false, .infinity, false)
            switch condition.test {
            case .atLeast(let x): if x > b.low || (x == b.low && !b.lowOpen) { (b.low, b.lowOpen) = (x, false) }
            case .above(let x): if x >= b.low { (b.low, b.lowOpen) = (x, true) }
            case .atMost(let x): if x < b.high || (x == b.high && !b.highOpen) { (b.high, b.highOpen) = (x, false) }
            case .below(let x): if x <= b.high { (b.high, b.highOpen) = (x, true) }
            default: continue
            }
            bounds[condition.subject] = b
            if b.low > b.high || (b.low == b.high && (b.lowOpen || b.highOpen)) {
                throw .invalid(
                    file: reader.file, line: entry.line, key: entry.key,
                    problem:
                        "rule `\(rule)` can never match: \(condition.subject.description) must be \(b.lowOpen ? ">" : "≥") \(b.low.plainText) and \(b.highOpen ? "<" : "≤") \(b.high.plainText) at once; fix the bounds or use `match: any`"
                )
            }
        }
    }

    static func readCondition(_ item: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> QualificationCondition {
        let fields = try reader.entries(item, allowed: conditionKeys)
        let subject: ConditionSubject
        switch (fields["field"], fields["score"]) {
        case let (field?, nil):
            subject = .field(try reader.text(field))
        case let (nil, score?):
            subject = .score(try reader.choice(score, as: ScoreMeasure.self))
        case (_?, _?):
            throw .yaml(
                .wrongShape(file: reader.file, line: item.line, key: item.key, expected: "a condition on either `field:` or `score:`, not both"))
        case (nil, nil):
            throw .yaml(
                .missingKey(
                    file: reader.file, line: item.line, key: "\(item.key).field",
                    hint: "Say what the condition tests: `field: company_size` or `score: engagement_points`."))
        }
        let tests = testKeys.filter { fields[$0] != nil }
        guard tests.count == 1, let testKey = tests.first, let entry = fields[testKey] else {
            throw .conditionTests(file: reader.file, line: item.line, key: item.key, found: tests)
        }
        let test: ConditionTest
        switch testKey {
        case "in": test = .isIn(try reader.texts(entry))
        case "not_in": test = .notIn(try reader.texts(entry))
        case "equals": test = .equals(try reader.text(entry))
        case "not_equals": test = .notEquals(try reader.text(entry))
        case "at_least": test = .atLeast(try reader.number(entry))
        case "above": test = .above(try reader.number(entry))
        case "at_most": test = .atMost(try reader.number(entry))
        case "below": test = .below(try reader.number(entry))
        default: test = .present(try reader.flag(entry))
        }
        if case .score = subject, !test.listedValues.isEmpty || { if case .present = test { return true } else { return false } }() {
            throw .yaml(
                .wrongShape(
                    file: reader.file, line: entry.line, key: entry.key,
                    expected: "a number test (at_least, above, at_most, below) for a score"))
        }
        var reading = EventFieldReading.count
        if let valueEntry = fields["value"] {
            reading = try reader.choice(valueEntry, from: EventFieldReading.allCases)
            guard case .field = subject, test.threshold != nil else {
                throw .yaml(
                    .wrongShape(
                        file: reader.file, line: valueEntry.line, key: valueEntry.key,
                        expected: "`value:` only on a `field:` condition with a number test (at_least, above, at_most, below)"))
            }
        }
        return QualificationCondition(subject: subject, test: test, line: item.line, reading: reading)
    }
}
