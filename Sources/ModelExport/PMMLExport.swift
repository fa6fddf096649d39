import BatonSupport
import Foundation
import ScoringModelFormat

/// Turns a weight file into a PMML 4.4 `Scorecard` that any PMML consumer can score raw leads with.
///
/// The document rebuilds every term exactly as ``FeatureEncoding`` does:
/// - numeric, missing rule `zero` or `indicator`: `FieldRef mapMissingTo="0"`; rules `drop_row` and
///   `error`: the field's `MiningField` has `missingValueTreatment="returnInvalid"`, so a lead missing it
///   gets no score (the native scorer refuses it too);
/// - `log1p`: `Apply function="ln1p"` (PMML 4.4 built-in), so small values lose no digits;
/// - `missing(column)`: an attribute with `SimplePredicate operator="isMissing"`;
/// - bins: one `Characteristic` per feature whose attributes are tried in order (PMML 4.4
///   Scorecard: the first attribute whose predicate is true scores): `isMissing` (the `Missing`
///   bin, or the bin of 0 under `zero`), then `lessThan` each cut, then `True` for the top bin;
/// - categorical: `trimBlanks`, then one `MapValues` table from every raw spelling the encoding knows
///   (levels, recode sources, levels merged into `Other`) to its model level; a missing or empty cell maps
///   to the level of an empty cell (`Missing`, or where the model sends it), and any other value (unseen in
///   training) to `Other` when the model has it, else to the baseline, exactly like
///   ``FeatureEncoding/modelLevel(forCell:)``. `trimBlanks` may also strip control characters other than
///   space and tab, which the native scorer keeps.
///
/// Each term is one `Characteristic`; its partial score is the weight file's `points_per_unit` (factor·β)
/// times the term value, and `initialScore` is the base score `offset + factor·β₀`. The predicted value is
/// therefore the points score. `Output` adds `points`, `log_odds = (points − offset) / factor` and
/// `probability = 1 / (1 + exp(−log_odds))`.
package enum PMMLExport {
    /// The PMML namespace of version 4.4.
    package static let namespace = "http://www.dmg.org/PMML-4_4"

    /// Names of the output fields, in document order.
    package static let outputFields = ["points", "log_odds", "probability"]

    /// The complete PMML document (UTF-8 XML text, deterministic for a given weight file).
    /// - Throws: ``WeightFileError/inconsistent(file:detail:)`` when a term cannot be rebuilt from the
    ///   encodings (a file that passed ``WeightFile/validate(file:)`` always can).
    package static func document(for weights: WeightFile, modelName: String = "baton lead score") throws -> String {
        var characteristics: [PMMLNode] = []
        var derived: [PMMLNode] = []
        var fields: [PMMLNode] = []
        var mining: [PMMLNode] = []

        for encoding in weights.encodings {
            let column = encoding.column
            switch encoding.type {
            case .numeric:
                fields.append(PMMLNode("DataField", ["name": column, "optype": "continuous", "dataType": "double"]))
                var attributes = ["name": column, "usageType": "active", "invalidValueTreatment": "returnInvalid"]
                if encoding.missing == .dropRow || encoding.missing == .error { attributes["missingValueTreatment"] = "returnInvalid" }
                mining.append(PMMLNode("MiningField", attributes))
                // A binned value is compared with the cuts as it is (no derived term field).
                if encoding.bins == nil { derived.append(numericTermField(encoding)) }
            case .categorical:
                fields.append(PMMLNode("DataField", ["name": column, "optype": "categorical", "dataType": "string"]))
                mining.append(PMMLNode("MiningField", ["name": column, "usageType": "active", "invalidValueTreatment": "asIs"]))
                derived.append(
                    PMMLNode(
                        "DerivedField", ["name": trimmedField(column), "optype": "categorical", "dataType": "string"],
                        [
                            // A missing cell becomes "" (evaluators may not pass a missing value into trimBlanks);
                            // "" and missing then map to the same level below.
                            PMMLNode("Apply", ["function": "trimBlanks", "mapMissingTo": ""], [PMMLNode("FieldRef", ["field": column])])
                        ]))
                derived.append(levelField(encoding))
            }
        }

        var doneColumns = Set<String>()
        for term in weights.model where term.kind != .intercept {
            guard let column = term.column, let encoding = weights.encoding(for: column) else {
                throw WeightFileError.inconsistent(file: "weights", detail: "term \"\(term.name)\" has no encoding")
            }
            let partial = pmmlNumber(term.pointsPerUnit)
            switch term.kind {
            case .intercept:
                continue
            case .numeric:
                characteristics.append(
                    PMMLNode(
                        "Characteristic", ["name": term.name],
                        [
                            PMMLNode(
                                "Attribute", [:],
                                [
                                    PMMLNode("True"),
                                    PMMLNode(
                                        "ComplexPartialScore", [:],
                                        [
                                            PMMLNode(
                                                "Apply", ["function": "*"],
                                                [constant(term.pointsPerUnit), PMMLNode("FieldRef", ["field": termField(encoding)])])
                                        ]),
                                ])
                        ]))
            case .missingIndicator:
                characteristics.append(
                    PMMLNode(
                        "Characteristic", ["name": term.name],
                        [
                            PMMLNode(
                                "Attribute", ["partialScore": partial], [PMMLNode("SimplePredicate", ["field": column, "operator": "isMissing"])]),
                            PMMLNode("Attribute", ["partialScore": "0"], [PMMLNode("True")]),
                        ]))
            case .level:
                // A column's dummies form one characteristic: exactly one level (or none, the baseline) applies.
                guard doneColumns.insert(column).inserted else { continue }
                var attributes: [PMMLNode] = []
                for levelTerm in weights.model where levelTerm.kind == .level && levelTerm.column == column {
                    guard let level = levelTerm.level else {
                        throw WeightFileError.inconsistent(file: "weights", detail: "level term \"\(levelTerm.name)\" has no level")
                    }
                    attributes.append(
                        PMMLNode(
                            "Attribute", ["partialScore": pmmlNumber(levelTerm.pointsPerUnit)],
                            [
                                PMMLNode("SimplePredicate", ["field": levelField(column), "operator": "equal", "value": level])
                            ]))
                }
                attributes.append(PMMLNode("Attribute", ["partialScore": "0"], [PMMLNode("True")]))
                characteristics.append(PMMLNode("Characteristic", ["name": column], attributes))
            case .bin:
                // A column's bins form one characteristic; attributes are tried in order, the first
                // true one scores: missing, then `x < c₁`, `x < c₂`, …, then the top bin.
                guard doneColumns.insert(column).inserted, let bins = encoding.bins else { continue }
                var points: [String: Double] = [:]
                for binTerm in weights.model where binTerm.kind == .bin && binTerm.column == column {
                    guard let level = binTerm.level else {
                        throw WeightFileError.inconsistent(file: "weights", detail: "bin term \"\(binTerm.name)\" has no bin")
                    }
                    points[level] = binTerm.pointsPerUnit
                }
                let contribution = (0..<bins.count).map { points[bins.label($0)] ?? 0 }
                var attributes: [PMMLNode] = []
                if encoding.missing == .indicator || encoding.missing == .zero {
                    let missing = encoding.missing == .indicator ? (points[missingLevel] ?? 0) : contribution[bins.bin(of: 0)]
                    attributes.append(
                        PMMLNode(
                            "Attribute", ["partialScore": pmmlNumber(missing)],
                            [PMMLNode("SimplePredicate", ["field": column, "operator": "isMissing"])]))
                }
                for (index, cut) in bins.cuts.enumerated() {
                    attributes.append(
                        PMMLNode(
                            "Attribute", ["partialScore": pmmlNumber(contribution[index])],
                            [PMMLNode("SimplePredicate", ["field": column, "operator": "lessThan", "value": pmmlNumber(cut)])]))
                }
                attributes.append(PMMLNode("Attribute", ["partialScore": pmmlNumber(contribution[bins.cuts.count])], [PMMLNode("True")]))
                characteristics.append(PMMLNode("Characteristic", ["name": column], attributes))
            }
        }

        let scale = weights.points
        let logOdds = PMMLNode(
            "Apply", ["function": "/"],
            [
                PMMLNode("Apply", ["function": "-"], [PMMLNode("FieldRef", ["field": "points"]), constant(scale.offset)]),
                constant(scale.factor),
            ])
        let probability = PMMLNode(
            "Apply", ["function": "/"],
            [
                constant(1),
                PMMLNode(
                    "Apply", ["function": "+"],
                    [
                        constant(1),
                        PMMLNode("Apply", ["function": "exp"], [PMMLNode("Apply", ["function": "*"], [constant(-1), logOdds])]),
                    ]),
            ])
        fields.append(PMMLNode("DataField", ["name": "score", "optype": "continuous", "dataType": "double"]))
        mining.append(PMMLNode("MiningField", ["name": "score", "usageType": "target"]))
        let output = PMMLNode(
            "Output", [:],
            [
                PMMLNode("OutputField", ["name": "points", "optype": "continuous", "dataType": "double", "feature": "predictedValue"]),
                PMMLNode(
                    "OutputField", ["name": "log_odds", "optype": "continuous", "dataType": "double", "feature": "transformedValue"], [logOdds]),
                PMMLNode(
                    "OutputField", ["name": "probability", "optype": "continuous", "dataType": "double", "feature": "transformedValue"], [probability]
                ),
            ])

        let header = PMMLNode(
            "Header",
            [
                "description":
                    "Lead score exported from \(weights.format): points = offset + factor * log-odds, factor = pdo / ln 2 (base \(pmmlNumber(scale.basePoints)) points at odds \(pmmlNumber(scale.baseOdds)):1, pdo \(pmmlNumber(scale.pdo)))"
            ],
            [
                PMMLNode("Application", ["name": "baton", "version": weights.training.toolVersion])
            ])
        let model = PMMLNode(
            "Scorecard",
            [
                "modelName": modelName, "functionName": "regression", "useReasonCodes": "false",
                "initialScore": pmmlNumber(weights.baseScore),
            ], [PMMLNode("MiningSchema", [:], mining), output, PMMLNode("Characteristics", [:], characteristics)])
        let root = PMMLNode(
            "PMML", ["xmlns": namespace, "version": "4.4"],
            [
                header,
                PMMLNode("DataDictionary", ["numberOfFields": String(fields.count)], fields),
                PMMLNode("TransformationDictionary", [:], derived),
                model,
            ])
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.xml(indent: 0)
    }

    static func trimmedField(_ column: String) -> String { "trimmed(\(column))" }
    static func levelField(_ column: String) -> String { "level(\(column))" }
    static func termField(_ encoding: FeatureEncoding) -> String {
        encoding.transform == .log1p ? "term(log1p(\(encoding.column)))" : "term(\(encoding.column))"
    }

    /// The numeric term value after the missing rule and the transform.
    static func numericTermField(_ encoding: FeatureEncoding) -> PMMLNode {
        var reference = ["field": encoding.column]
        if encoding.missing == .zero || encoding.missing == .indicator { reference["mapMissingTo"] = "0" }
        let value = PMMLNode("FieldRef", reference)
        let expression = encoding.transform == .log1p ? PMMLNode("Apply", ["function": "ln1p"], [value]) : value
        return PMMLNode("DerivedField", ["name": termField(encoding), "optype": "continuous", "dataType": "double"], [expression])
    }

    /// The model level of a categorical cell, see ``FeatureEncoding/modelLevel(forCell:)``.
    static func levelField(_ encoding: FeatureEncoding) -> PMMLNode {
        var raws = Set(encoding.levels)
        raws.formUnion(encoding.recode.keys)
        raws.formUnion(encoding.mergedIntoOther.keys)
        raws.insert("")
        // The native scorer trims a cell before looking it up, so untrimmed spellings can never match.
        let rows = raws.filter { $0 == $0.trimmingCharacters(in: [" ", "\t"]) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { raw in
                PMMLNode("row", [:], [PMMLNode("raw", [:], text: raw), PMMLNode("level", [:], text: encoding.modelLevel(forCell: raw).level)])
            }
        let fallback = encoding.levels.contains(otherLevel) ? otherLevel : (encoding.baseline ?? encoding.levels.first ?? otherLevel)
        let map = PMMLNode(
            "MapValues",
            [
                "outputColumn": "level", "dataType": "string", "defaultValue": fallback,
                "mapMissingTo": encoding.modelLevel(forCell: "").level,
            ], [PMMLNode("FieldColumnPair", ["field": trimmedField(encoding.column), "column": "raw"]), PMMLNode("InlineTable", [:], rows)])
        return PMMLNode("DerivedField", ["name": levelField(encoding.column), "optype": "categorical", "dataType": "string"], [map])
    }

    static func constant(_ value: Double) -> PMMLNode {
        PMMLNode("Constant", ["dataType": "double"], text: pmmlNumber(value))
    }
}

/// A double in its shortest round-trip spelling (valid `xs:double`: "0.4125", "1e-07", "-2.25").
func pmmlNumber(_ value: Double) -> String {
    precondition(value.isFinite, "a validated weight file holds only finite numbers")
    if value == 0 { return "0" }
    return value.plainText
}
