import BatonSupport
import ScoringModelFormat

extension FieldMapping {
    /// What a mapping may name: the lead fields the weight file and the playbook read, and for
    /// each categorical model feature the values the model knows.
    package struct Targets: Sendable, Equatable {
        package var fields: Set<String>
        /// Accepted values of categorical model features: levels, recoded spellings and levels merged into `Other`.
        package var levels: [String: Set<String>]

        package init(fields: Set<String>, levels: [String: Set<String>] = [:]) {
            self.fields = fields
            self.levels = levels
        }

        /// The weight file's columns and categorical levels, plus `otherFields` (the playbook's
        /// and the package's documented fields, the configuration's `known_fields`).
        package init(weights: WeightFile, otherFields: Set<String>) {
            var fields = otherFields.union(weights.encodings.map(\.column))
            for column in [weights.spec.id, weights.spec.time].compactMap({ $0 }) { fields.insert(column) }
            self.fields = fields
            levels = [:]
            for encoding in weights.encodings where encoding.type == .categorical {
                levels[encoding.column] = Set(encoding.levels).union(encoding.recode.keys).union(encoding.mergedIntoOther.keys)
            }
        }
    }

    /// Checks every rule's field against `targets`, and every value a recode produces for a
    /// categorical model feature against the model's levels.
    /// - Throws: ``FieldMappingError/unknownField(file:line:key:field:nearest:)`` or
    ///   ``FieldMappingError/unknownLevel(file:line:key:value:field:nearest:levels:)``, each with the nearest valid names.
    package func validate(against targets: Targets) throws(FieldMappingError) {
        let known = targets.fields.sorted()
        for section in Self.sectionNames {
            for rule in (sections[section] ?? [:]).values.sorted(by: { $0.line < $1.line }) {
                guard targets.fields.contains(rule.field) else {
                    throw .unknownField(
                        file: file, line: rule.line, key: rule.key, field: rule.field,
                        nearest: NearestName.candidates(near: rule.field, among: known))
                }
                guard let levels = targets.levels[rule.field] else { continue }
                let produced: [String]
                switch rule.recode {
                case .keep: produced = []
                case let .values(table, otherwise): produced = table.values.sorted() + (otherwise.map { [$0] } ?? [])
                case let .ranges(bands, otherwise): produced = bands.map(\.value) + (otherwise.map { [$0] } ?? [])
                }
                for value in produced where !levels.contains(value) {
                    throw .unknownLevel(
                        file: file, line: rule.line, key: rule.key, value: value, field: rule.field,
                        nearest: NearestName.candidates(near: value, among: levels.sorted()), levels: levels.sorted())
                }
            }
        }
    }
}
