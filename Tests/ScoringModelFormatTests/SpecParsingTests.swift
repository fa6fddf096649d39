import Foundation
import Testing

@testable import ScoringModelFormat

@Suite struct SpecParsingTests {
    static let example = """
        outcome: {column: y, positive: ["yes"]}   # values meaning closed-won; others are closed-lost
        id: lead_id                                 # optional
        time: created_at                            # optional (ISO date/time), used for out-of-time checks
        features:
          - {column: age, type: numeric}                       # used as is
          - {column: visits, type: numeric, transform: log1p, missing: indicator}   # none | log1p; error | drop_row | zero | indicator
          - {column: job, type: categorical, baseline: admin., min_count: 100, group: fit}
          - {column: source, type: categorical, recode: {google: Google}}   # merge spellings before counting
        penalty: 0                                  # λ of the L2 term
        """

    @Test func exampleParsesToExpectedSpec() throws {
        let spec = try ScoringSpec.parse(yaml: Self.example, file: "spec.yaml")
        let expected = ScoringSpec(
            outcome: OutcomeSpec(column: "y", positive: ["yes"]), id: "lead_id", time: "created_at",
            features: [
                FeatureSpec(column: "age", type: .numeric),
                FeatureSpec(column: "visits", type: .numeric, transform: .log1p, missing: .indicator),
                FeatureSpec(column: "job", type: .categorical, baseline: "admin.", minCount: 100, group: .fit),
                FeatureSpec(column: "source", type: .categorical, recode: ["google": "Google"]),
            ],
            penalty: 0)
        #expect(spec == expected)
        #expect(spec.features[0].group == .engagement)
        #expect(spec.points == PointsScaling(basePoints: 600, baseOdds: 50, pdo: 20))
    }

    @Test func scalarsAreReadAsWritten() throws {
        let spec = try ScoringSpec.parse(
            yaml: """
                outcome: {column: won, positive: [yes, 1, true, 01]}
                features:
                  - column: flag
                    type: categorical
                    baseline: no
                    recode: {y: yes, n: no}
                weight: w
                penalty: 2.5
                points: {base_points: 500, base_odds: 20, pdo: 40}
                thresholds: {mql: 550, sql: 620}
                """, file: "s.yaml")
        #expect(spec.outcome.positive == ["yes", "1", "true", "01"])
        #expect(spec.features[0].baseline == "no")
        #expect(spec.features[0].recode == ["y": "yes", "n": "no"])
        #expect(spec.weight == "w")
        #expect(spec.penalty == 2.5)
        #expect(spec.points == PointsScaling(basePoints: 500, baseOdds: 20, pdo: 40))
        #expect(spec.thresholds == Thresholds(mql: 550, sql: 620))
    }

    static let base = "outcome: {column: y, positive: [\"1\"]}\n"

    func error(_ yaml: String) -> ScoringSpecError? {
        #expect(throws: ScoringSpecError.self) { try ScoringSpec.parse(yaml: yaml, file: "s.yaml") }
    }

    /// Learned bins count rows; with case weights they would be learned as if unweighted, so the
    /// spec is refused at the feature's line (hand-given cuts are allowed).
    @Test func learnedBinsWithCaseWeightsAreRefused() throws {
        let yaml = """
            outcome: {column: won, positive: ["1"]}
            weight: w
            features:
              - {column: age, type: numeric}
              - {column: visits, type: numeric, transform: bins}
            """
        #expect(throws: ScoringSpecError.binsWithCaseWeights(file: "s.yaml", line: 5, column: "visits", weight: "w")) {
            try ScoringSpec.parse(yaml: yaml, file: "s.yaml")
        }
        let message = ScoringSpecError.binsWithCaseWeights(file: "s.yaml", line: 5, column: "visits", weight: "w").description
        #expect(message.contains("s.yaml line 5") && message.contains("cuts:"))
        let given = yaml.replacingOccurrences(of: "transform: bins}", with: "transform: bins, cuts: [1, 3]}")
        #expect(try ScoringSpec.parse(yaml: given, file: "s.yaml").weight == "w")
        let unweighted = yaml.replacingOccurrences(of: "weight: w\n", with: "")
        #expect(try ScoringSpec.parse(yaml: unweighted, file: "s.yaml").weight == nil)
    }

    @Test func unknownKeySuggestsNearest() {
        let e = error(Self.base + "features:\n  - {column: a, type: numeric, transfrom: log1p}\n")
        #expect(
            e == .yaml(.unknownKey(file: "s.yaml", line: 3, key: "features[0].transfrom", suggestion: "transform", allowed: ScoringSpec.featureKeys)))
        #expect(e?.description.hasPrefix("s.yaml line 3: unknown key `features[0].transfrom`. Did you mean `transform`?") == true)
        let top = error(Self.base + "feature:\n  - {column: a, type: numeric}\n")
        #expect(top == .yaml(.unknownKey(file: "s.yaml", line: 2, key: "feature", suggestion: "features", allowed: ScoringSpec.topLevelKeys)))
    }

    @Test func badEnumValueListsAllowedValues() {
        let e = error(Self.base + "features:\n  - {column: a, type: numeric, missing: impute}\n")
        #expect(
            e
                == .yaml(
                    .notAllowed(
                        file: "s.yaml", line: 3, key: "features[0].missing", value: "impute", allowed: ["error", "drop_row", "zero", "indicator"])))
        #expect(e?.description.contains("Use one of: error, drop_row, zero, indicator.") == true)
        #expect(
            error(Self.base + "features:\n  - {column: a, type: number}\n")
                == .yaml(.notAllowed(file: "s.yaml", line: 3, key: "features[0].type", value: "number", allowed: ["numeric", "categorical"])))
    }

    @Test func optionForTheOtherType() {
        let e = error(Self.base + "features:\n  - {column: a, type: numeric}\n  - column: job\n    type: categorical\n    transform: log1p\n")
        #expect(e == .optionNotForType(file: "s.yaml", line: 6, key: "features[1].transform", column: "job", type: .categorical))
        #expect(e?.description.contains("`features[1].transform` applies only to numeric features, and \"job\" is categorical") == true)
        #expect(
            error(Self.base + "features:\n  - {column: a, type: numeric, min_count: 5}\n")
                == .optionNotForType(file: "s.yaml", line: 3, key: "features[0].min_count", column: "a", type: .numeric))
    }

    @Test func duplicateFeature() {
        let e = error(Self.base + "features:\n  - {column: a, type: numeric}\n  - {column: b, type: numeric}\n  - {column: a, type: categorical}\n")
        #expect(e == .duplicateFeature(file: "s.yaml", line: 5, column: "a", firstLine: 3))
    }

    @Test func negativeNumbers() {
        #expect(
            error(Self.base + "features: [{column: a, type: numeric}]\npenalty: -1\n")
                == .outOfRange(file: "s.yaml", line: 3, key: "penalty", value: "-1", requirement: "0 or more (0 = no penalty)"))
        #expect(
            error(Self.base + "features: [{column: a, type: categorical, min_count: -3}]\n")
                == .outOfRange(file: "s.yaml", line: 2, key: "features[0].min_count", value: "-3", requirement: "0 or more (0 = never merge levels)"))
        #expect(
            error(Self.base + "features: [{column: a, type: categorical, min_count: 2.5}]\n")
                == .yaml(.notANumber(file: "s.yaml", line: 2, key: "features[0].min_count", value: "2.5", wholeNumber: true)))
        #expect(
            error(Self.base + "features: [{column: a, type: numeric}]\npenalty: lots\n")
                == .yaml(.notANumber(file: "s.yaml", line: 3, key: "penalty", value: "lots", wholeNumber: false)))
    }

    @Test func missingOutcomeAndOtherRequiredKeys() {
        let e = error("features: [{column: a, type: numeric}]\n")
        #expect(
            e
                == .yaml(
                    .missingKey(
                        file: "s.yaml", line: 1, key: "outcome",
                        hint: "Say which column holds the result and which values mean closed-won, e.g. `outcome: {column: won, positive: [\"1\"]}`.")
                ))
        #expect(
            error("outcome: {column: y}\nfeatures: [{column: a, type: numeric}]\n")?.description.contains("`outcome.positive` is required") == true)
        #expect(error(Self.base)?.description.contains("`features` is required") == true)
        #expect(
            error(Self.base + "features: [{column: a}]\n")?.description.contains(
                "`features[0].type` is required. Say how \"a\" enters the model: numeric or categorical.") == true)
        #expect(error("") != nil)
    }

    @Test func rolesAndShapes() {
        #expect(
            error(Self.base + "features: [{column: y, type: numeric}]\n")
                == .columnInTwoRoles(file: "s.yaml", line: 2, column: "y", roles: ["the outcome", "a feature"]))
        #expect(error(Self.base + "features: {column: a, type: numeric}\n")?.description.contains("`features` must be a list") == true)
        #expect(error(Self.base + "features: [{column: a, type: numeric}]\nid: \"\"\n") == .emptyValue(file: "s.yaml", line: 3, key: "id"))
        #expect(
            error(Self.base + "features: [{column: a, type: numeric}]\noutcome: {column: z, positive: [1]}\n")
                == .yaml(.duplicateKey(file: "s.yaml", line: 3, key: "outcome")))
    }

    @Test func yamlSyntaxErrorHasLine() {
        let e = error(Self.base + "features:\n  - {column: a, type: numeric\n")
        guard case let .yaml(.syntax(file, line, _)) = e else {
            Issue.record("\(String(describing: e))")
            return
        }
        #expect(file == "s.yaml")
        #expect(line >= 3)
    }

    @Test func loadFromURL() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString).yaml")
        try Self.example.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try ScoringSpec.load(url: url).features.count == 4)
        #expect(throws: ScoringSpecError.self) { try ScoringSpec.load(url: url.appendingPathExtension("nope")) }
    }
}
