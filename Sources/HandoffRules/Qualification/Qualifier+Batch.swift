import ScoringModelFormat

extension Qualifier {
    /// Fields (besides scores) the playbook tests, in first-use order: what a table must carry.
    package var referencedFields: [String] {
        var seen = Set<String>()
        return playbook.allConditions.compactMap { condition in
            guard case .field(let name) = condition.subject, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// Stage and priority of every row of a scored table, equal to ``decide(_:score:at:)`` on each
    /// row's lead (a table has no events). Each condition is evaluated once per distinct text
    /// (per dictionary code) or per number, then rules combine the pass columns.
    /// - Precondition: `columns` holds every field in ``referencedFields``.
    package func decide(batch scores: BatchScores, columns: [String: BatchColumn]) -> (stages: [QualificationStage], priorities: [HandoffPriority]) {
        let n = scores.rowCount
        func passColumn(_ condition: QualificationCondition) -> [Bool] {
            switch condition.subject {
            case .score(let measure):
                let values: [Double]
                switch measure {
                case .points: values = scores.points
                case .fitPoints: values = scores.fitPoints
                case .engagementPoints: values = scores.engagementPoints
                case .probability: values = scores.probability
                }
                return values.map { condition.test.passes(number: $0) }
            case .field(let name):
                guard let column = columns[name] else { preconditionFailure("no column \(name) for the playbook") }
                let encoding = encodings[name]
                switch column {
                case .numeric(let values, let missing):
                    return (0..<n).map { condition.test.passes(number: missing[$0] ? nil : values[$0]) }
                case .text(let codes, let levels):
                    let passOfCode = levels.map { raw -> Bool in
                        if encoding?.type == .numeric {
                            return condition.test.passes(number: raw.isEmpty ? nil : Double(raw))
                        }
                        if raw.isEmpty { return condition.test.passes(text: nil) }
                        return condition.test.passes(text: encoding.map { $0.recode[raw] ?? raw } ?? raw)
                    }
                    return codes.map { passOfCode[Int($0)] }
                }
            }
        }
        var stages = [QualificationStage](repeating: .nurture, count: n)
        var decided = [Bool](repeating: false, count: n)
        for rule in orderedRules {
            let passes = rule.conditions.map(passColumn)
            for i in 0..<n where !decided[i] {
                let holds = rule.match == .all ? passes.allSatisfy { $0[i] } : passes.contains { $0[i] }
                if holds {
                    stages[i] = rule.stage
                    decided[i] = true
                }
            }
        }
        let intent = playbook.highIntent.map(passColumn)
        let priorities = (0..<n).map { i -> HandoffPriority in
            stages[i] == .sql || intent.contains { $0[i] } ? .high : .standard
        }
        return (stages, priorities)
    }
}
