/// A problem in a scoring spec (YAML). Each case names the spec file, the 1-based line and
/// the key (as a path like `features[2].min_count`); `description` says what is wrong and
/// what to do.
public enum ScoringSpecError: Error, CustomStringConvertible, Equatable, Sendable, YAMLDocumentError {
    /// A problem in the YAML's structure: syntax, shape, an unknown, duplicate or missing key,
    /// a value outside its set or not a number.
    case yaml(YAMLFileError)
    /// A number outside its range.
    case outOfRange(file: String, line: Int, key: String, value: String, requirement: String)
    /// An option that only applies to the other feature type.
    case optionNotForType(file: String, line: Int, key: String, column: String, type: FeatureType)
    /// A binning option (`monotone`, `max_bins`, `min_bin_share`, `cuts`) on a feature without `transform: bins`.
    case optionNeedsBins(file: String, line: Int, key: String, column: String)
    /// A feature column listed twice.
    case duplicateFeature(file: String, line: Int, column: String, firstLine: Int)
    /// One column given two roles (e.g. the outcome also listed as a feature).
    case columnInTwoRoles(file: String, line: Int, column: String, roles: [String])
    /// An empty string where a column name belongs.
    case emptyValue(file: String, line: Int, key: String)
    /// `transform: bins` in a spec with case weights (`weight:`): the bins are chosen from row
    /// counts, so weighted rows would be binned as if unweighted.
    case binsWithCaseWeights(file: String, line: Int, column: String, weight: String)

    public var description: String {
        switch self {
        case let .yaml(error):
            return error.description
        case let .outOfRange(file, line, key, value, requirement):
            return "\(file) line \(line): `\(key)` is \(value); it must be \(requirement)."
        case let .optionNotForType(file, line, key, column, type):
            let other = type == .numeric ? "categorical" : "numeric"
            return
                "\(file) line \(line): `\(key)` applies only to \(other) features, and \"\(column)\" is \(type.rawValue). Remove `\(key)`, or change the type."
        case let .optionNeedsBins(file, line, key, column):
            return
                "\(file) line \(line): `\(key)` applies only to binned features, and \"\(column)\" has no `transform: bins`. Add `transform: bins`, or remove `\(key)`."
        case let .duplicateFeature(file, line, column, firstLine):
            return "\(file) line \(line): feature \"\(column)\" is already listed on line \(firstLine). List each column once."
        case let .columnInTwoRoles(file, line, column, roles):
            return
                "\(file) line \(line): column \"\(column)\" is used as \(roles.joined(separator: " and ")). A column can play one role only; remove one of them."
        case let .binsWithCaseWeights(file, line, column, weight):
            return
                "\(file) line \(line): \"\(column)\" has `transform: bins`, but the spec weights rows by \"\(weight)\"; the bins are chosen from row counts and would ignore the weights. Give the cut points by hand (`cuts:` are still checked on counts), use `transform: log1p` for this feature, or fit without `weight:`."
        case let .emptyValue(file, line, key):
            return "\(file) line \(line): `\(key)` is empty. Give the column name as it appears in the CSV header."
        }
    }
}
