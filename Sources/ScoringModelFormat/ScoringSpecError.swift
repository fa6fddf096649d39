/// A problem in a scoring spec (YAML). Each case names the spec file, the 1-based line and
/// the key (as a path like `features[2].min_count`); `description` says what is wrong and
/// what to do.
public enum ScoringSpecError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The YAML itself does not parse.
    case syntax(file: String, line: Int, problem: String)
    /// A value has the wrong shape (e.g. a list where a mapping belongs).
    case wrongShape(file: String, line: Int, key: String, expected: String)
    /// A key the spec does not know.
    case unknownKey(file: String, line: Int, key: String, suggestion: String?, allowed: [String])
    /// A key given twice in one mapping.
    case duplicateKey(file: String, line: Int, key: String)
    /// A required key is absent.
    case missingKey(file: String, line: Int, key: String, hint: String)
    /// A value outside a fixed set.
    case notAllowed(file: String, line: Int, key: String, value: String, allowed: [String])
    /// A value that should be a number (or a whole number).
    case notANumber(file: String, line: Int, key: String, value: String, wholeNumber: Bool)
    /// A number outside its range.
    case outOfRange(file: String, line: Int, key: String, value: String, requirement: String)
    /// An option that only applies to the other feature type.
    case optionNotForType(file: String, line: Int, key: String, column: String, type: FeatureType)
    /// A feature column listed twice.
    case duplicateFeature(file: String, line: Int, column: String, firstLine: Int)
    /// One column given two roles (e.g. the outcome also listed as a feature).
    case columnInTwoRoles(file: String, line: Int, column: String, roles: [String])
    /// An empty string where a column name belongs.
    case emptyValue(file: String, line: Int, key: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the spec (\(reason)). Check the path."
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
        case let .notANumber(file, line, key, value, whole):
            return
                "\(file) line \(line): `\(key)` is \"\(value)\", which is not a \(whole ? "whole number" : "number"). Write a plain \(whole ? "integer (e.g. 100)" : "number (e.g. 0.5)")."
        case let .outOfRange(file, line, key, value, requirement):
            return "\(file) line \(line): `\(key)` is \(value); it must be \(requirement)."
        case let .optionNotForType(file, line, key, column, type):
            let other = type == .numeric ? "categorical" : "numeric"
            return
                "\(file) line \(line): `\(key)` applies only to \(other) features, and \"\(column)\" is \(type.rawValue). Remove `\(key)`, or change the type."
        case let .duplicateFeature(file, line, column, firstLine):
            return "\(file) line \(line): feature \"\(column)\" is already listed on line \(firstLine). List each column once."
        case let .columnInTwoRoles(file, line, column, roles):
            return
                "\(file) line \(line): column \"\(column)\" is used as \(roles.joined(separator: " and ")). A column can play one role only; remove one of them."
        case let .emptyValue(file, line, key):
            return "\(file) line \(line): `\(key)` is empty. Give the column name as it appears in the CSV header."
        }
    }
}
