import ScoringModelFormat

/// A problem in a playbook (YAML). Each case names the file, the 1-based line and the key
/// (as a path like `qualification.rules[1].when[0].in`); `description` says what to do.
package enum PlaybookError: Error, Sendable, Equatable, CustomStringConvertible, YAMLDocumentError {
    /// A problem in the YAML's structure: syntax, shape, an unknown, duplicate or missing key,
    /// a value outside its set or not a number.
    case yaml(YAMLFileError)
    /// A condition without a test, or with two.
    case conditionTests(file: String, line: Int, key: String, found: [String])
    /// Two rules with one name.
    case duplicateRule(file: String, line: Int, name: String, firstLine: Int)
    /// A field neither the model nor the lead schema knows.
    case unknownField(file: String, line: Int, field: String, suggestion: String?)
    /// A value of a categorical model feature that the model has no level for (it could never match).
    case unknownLevel(file: String, line: Int, field: String, value: String, suggestion: String?, levels: [String])
    /// The playbook has no `qualification:` section but one was needed.
    case missingSection(file: String, section: String)
    /// A value a flow section (`routing:`, `reps:`, `sla:`, `dispositions:`) refuses, such as a
    /// time zone that does not exist or deal-size tiers out of order; `problem` says what is wrong
    /// and what to do.
    case invalid(file: String, line: Int, key: String, problem: String)

    package var description: String {
        switch self {
        case let .yaml(error):
            return error.description
        case let .conditionTests(file, line, key, found):
            let what = found.isEmpty ? "no test" : "several tests (\(found.joined(separator: ", ")))"
            return
                "\(file) line \(line): condition `\(key)` has \(what). Give exactly one of: \(QualificationPlaybook.testKeys.joined(separator: ", "))."
        case let .duplicateRule(file, line, name, firstLine):
            return
                "\(file) line \(line): rule \"\(name)\" is already defined on line \(firstLine). Give each rule its own name (the name is stored as evidence)."
        case let .unknownField(file, line, field, suggestion):
            let hint = suggestion.map { "Did you mean \"\($0)\"? " } ?? ""
            return
                "\(file) line \(line): field \"\(field)\" is not a field of the model or of the leads. \(hint)Use a column of the weight file's spec or of the lead data (names are case-sensitive)."
        case let .unknownLevel(file, line, field, value, suggestion, levels):
            let hint = suggestion.map { "Did you mean \"\($0)\"? " } ?? ""
            return
                "\(file) line \(line): \"\(value)\" is not a level of \"\(field)\", so the condition could never match. \(hint)Levels: \(levels.joined(separator: ", "))."
        case let .missingSection(file, section):
            return
                "\(file): no `\(section):` section. Add one (see Datasets/playbook.yaml for an example, \(Playbook.formatsReference) for every key)."
        case let .invalid(file, line, key, problem):
            return "\(file) line \(line), `\(key)`: \(problem)"
        }
    }

    /// The 1-based line of the problem, when there is one.
    package var line: Int? {
        switch self {
        case let .yaml(error): return error.line
        case let .conditionTests(_, line, _, _), let .duplicateRule(_, line, _, _), let .unknownField(_, line, _, _),
            let .unknownLevel(_, line, _, _, _, _), let .invalid(_, line, _, _):
            return line
        case .missingSection: return nil
        }
    }

    /// The key path of the problem (`reps[0].time_zone`), when it is at a key.
    package var key: String? {
        switch self {
        case let .yaml(error): return error.key
        case let .conditionTests(_, _, key, _), let .invalid(_, _, key, _): return key
        case let .missingSection(_, section): return section
        case .duplicateRule, .unknownField, .unknownLevel: return nil
        }
    }
}
