import ScoringModelFormat

/// A field mapping file that cannot be used: its YAML shape, or a name or value that the
/// production model and the playbook do not know. Each case names the file, the line and the key.
package enum FieldMappingError: Error, Sendable, Equatable, CustomStringConvertible, YAMLDocumentError {
    case yaml(YAMLFileError)
    /// A Baton field that neither the weight file nor the playbook reads, with the nearest known ones.
    case unknownField(file: String, line: Int, key: String, field: String, nearest: [String])
    /// A recoded value that is not a level of the model's categorical feature, with the nearest levels.
    case unknownLevel(file: String, line: Int, key: String, value: String, field: String, nearest: [String], levels: [String])
    /// Bands out of order, overlapping or empty.
    case badBands(file: String, line: Int, key: String, problem: String)
    /// Two properties of one section set the same Baton field.
    case duplicateField(file: String, line: Int, key: String, field: String, otherKey: String)

    package var description: String {
        func nearestText(_ names: [String]) -> String {
            names.isEmpty ? "" : " Nearest: \(names.map { "`\($0)`" }.joined(separator: ", "))."
        }
        switch self {
        case .yaml(let error):
            return error.description
        case let .unknownField(file, line, key, field, nearest):
            return
                "\(file) line \(line): `\(key)` maps to field `\(field)`, which neither the production weight file nor the playbook reads.\(nearestText(nearest)) Fix the name, or list it under `known_fields` in the service configuration."
        case let .unknownLevel(file, line, key, value, field, nearest, levels):
            return
                "\(file) line \(line): `\(key)` gives \"\(value)\", which is not a level of the model's feature `\(field)`.\(nearestText(nearest)) Levels: \(levels.joined(separator: ", "))."
        case let .badBands(file, line, key, problem):
            return "\(file) line \(line): `\(key)`: \(problem)."
        case let .duplicateField(file, line, key, field, other):
            return
                "\(file) line \(line): `\(key)` sets field `\(field)`, which `\(other)` already sets. Map each field from one property per section."
        }
    }
}
