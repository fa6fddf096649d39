import Yams

extension QualificationPlaybook {
    static let sectionKeys = ["rules", "high_intent"]
    static let ruleKeys = ["name", "stage", "match", "when"]
    static let conditionKeys = ["field", "score"] + PlaybookReader.testKeys

    /// Reads the `qualification:` section node.
    static func read(_ entry: PlaybookReader.Entry, reader: PlaybookReader) throws(PlaybookError) -> QualificationPlaybook {
        let fields = try reader.entries(entry.value, key: entry.key, allowed: sectionKeys)
        guard let rulesEntry = fields["rules"] else {
            throw .missingKey(
                file: reader.file, line: entry.line, key: "\(entry.key).rules",
                hint: "List the rules, e.g. `rules: [{name: engaged, stage: mql, when: [{score: engagement_points, at_least: 40}]}]`.")
        }
        var rules: [QualificationRule] = []
        var firstLine: [String: Int] = [:]
        for (index, node) in try reader.sequence(rulesEntry).enumerated() {
            let rule = try readRule(node, key: "\(rulesEntry.key)[\(index)]", reader: reader)
            if let first = firstLine[rule.name] {
                throw .duplicateRule(file: reader.file, line: rule.line, name: rule.name, firstLine: first)
            }
            firstLine[rule.name] = rule.line
            rules.append(rule)
        }
        var highIntent: [QualificationCondition] = []
        if let intentEntry = fields["high_intent"] {
            for (index, node) in try reader.sequence(intentEntry).enumerated() {
                highIntent.append(try readCondition(node, key: "\(intentEntry.key)[\(index)]", reader: reader))
            }
        }
        return QualificationPlaybook(rules: rules, highIntent: highIntent)
    }

    static func readRule(_ node: Node, key: String, reader: PlaybookReader) throws(PlaybookError) -> QualificationRule {
        let fields = try reader.entries(node, key: key, allowed: ruleKeys)
        let line = reader.line(node)
        guard let nameEntry = fields["name"] else {
            throw .missingKey(file: reader.file, line: line, key: "\(key).name", hint: "Name the rule; the name is stored as qualification evidence.")
        }
        let name = try reader.text(nameEntry)
        guard let stageEntry = fields["stage"] else {
            throw .missingKey(file: reader.file, line: line, key: "\(key).stage", hint: "Say which stage the rule grants: mql or sql.")
        }
        let stage = try reader.choice(stageEntry, from: [QualificationStage.mql, .sql])
        let match =
            try fields["match"].map { (entry) throws(PlaybookError) in try reader.choice(entry, from: QualificationRule.Match.allCases) } ?? .all
        guard let whenEntry = fields["when"] else {
            throw .missingKey(
                file: reader.file, line: line, key: "\(key).when",
                hint: "List the conditions, e.g. `when: [{field: budget_authority, equals: \"yes\"}]`.")
        }
        var conditions: [QualificationCondition] = []
        for (index, conditionNode) in try reader.sequence(whenEntry).enumerated() {
            conditions.append(try readCondition(conditionNode, key: "\(whenEntry.key)[\(index)]", reader: reader))
        }
        guard !conditions.isEmpty else {
            throw .wrongShape(file: reader.file, line: whenEntry.line, key: whenEntry.key, expected: "a non-empty list of conditions")
        }
        return QualificationRule(name: name, stage: stage, match: match, conditions: conditions, line: line)
    }

    static func readCondition(_ node: Node, key: String, reader: PlaybookReader) throws(PlaybookError) -> QualificationCondition {
        let fields = try reader.entries(node, key: key, allowed: conditionKeys)
        let line = reader.line(node)
        let subject: ConditionSubject
        switch (fields["field"], fields["score"]) {
        case let (field?, nil):
            subject = .field(try reader.text(field))
        case let (nil, score?):
            subject = .score(try reader.choice(score, from: ScoreMeasure.allCases))
        case (_?, _?):
            throw .wrongShape(file: reader.file, line: line, key: key, expected: "a condition on either `field:` or `score:`, not both")
        case (nil, nil):
            throw .missingKey(
                file: reader.file, line: line, key: "\(key).field",
                hint: "Say what the condition tests: `field: company_size` or `score: engagement_points`.")
        }
        let tests = PlaybookReader.testKeys.filter { fields[$0] != nil }
        guard tests.count == 1, let testKey = tests.first, let entry = fields[testKey] else {
            throw .conditionTests(file: reader.file, line: line, key: key, found: tests)
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
        default:
            let raw = try reader.text(entry)
            guard let wanted = ["true": true, "yes": true, "false": false, "no": false][raw.lowercased()] else {
                throw .notAllowed(file: reader.file, line: entry.line, key: entry.key, value: raw, allowed: ["true", "false"])
            }
            test = .present(wanted)
        }
        if case .score = subject, !test.listedValues.isEmpty || { if case .present = test { return true } else { return false } }() {
            throw .wrongShape(
                file: reader.file, line: entry.line, key: entry.key,
                expected: "a number test (at_least, above, at_most, below) for a score")
        }
        return QualificationCondition(subject: subject, test: test, line: line)
    }
}
