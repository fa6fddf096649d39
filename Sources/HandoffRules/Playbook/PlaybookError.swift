/// A problem in a playbook (YAML). Each case names the file, the 1-based line and the key
/// (as a path like `qualification.rules[1].when[0].in`); `description` says what to do.
package enum PlaybookError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case syntax(file: String, line: Int, problem: String)
    case wrongShape(file: String, line: Int, key: String, expected: String)
    case unknownKey(file: String, line: Int, key: String, suggestion: String?, allowed: [String])
    case duplicateKey(file: String, line: Int, key: String)
    case missingKey(file: String, line: Int, key: String, hint: String)
    case notAllowed(file: String, line: Int, key: String, value: String, allowed: [String])
    case notANumber(file: String, line: Int, key: String, value: String)
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
    /// A problem in a flow section (`routing:`, `reps:`, `sla:`, `dispositions:`), with its key path and line.
    case section(PlaybookSectionError)

    package var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the playbook (\(reason)). Check the path."
        case let .syntax(file, line, problem):
            return "\(file) line \(line): not valid YAML (\(problem)). Check indentation and quoting on or just before that line."
        case let .wrongShape(file, line, key, expected):
            return "\(file) line \(line): `\(key)` must be \(expected)."
        case let .unknownKey(file, line, key, suggestion, allowed):
            let hint = suggestion.map { "Did you mean `\($0)`? " } ?? ""
            return "\(file) line \(line): unknown key `\(key)`. \(hint)Allowed here: \(allowed.joined(separator: ", "))."
        case let .duplicateKey(file, line, key):
            return "\(file) line \(line): `\(key)` is given twice. Keep one."
        case let .missingKey(file, line, key, hint):
            return "\(file) line \(line): `\(key)` is required. \(hint)"
        case let .notAllowed(file, line, key, value, allowed):
            return "\(file) line \(line): `\(key)` cannot be \"\(value)\". Use one of: \(allowed.joined(separator: ", "))."
        case let .notANumber(file, line, key, value):
            return "\(file) line \(line): `\(key)` is \"\(value)\", which is not a number. Write a plain number (e.g. 40)."
        case let .conditionTests(file, line, key, found):
            let what = found.isEmpty ? "no test" : "several tests (\(found.joined(separator: ", ")))"
            return "\(file) line \(line): condition `\(key)` has \(what). Give exactly one of: \(PlaybookReader.testKeys.joined(separator: ", "))."
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
            return "\(file): no `\(section):` section. Add one (see Datasets/playbook.yaml for an example)."
        case let .section(error):
            return error.description
        }
    }
}
