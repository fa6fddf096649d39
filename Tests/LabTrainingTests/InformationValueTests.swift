import Foundation
import LabNumerics
import TestSupport
import Testing

@testable import LabTraining

/// `baton fit`'s information value per feature, against values worked by hand from the counts.
@Suite struct InformationValueTests {
    /// Writes `rows` (x, channel, won) as a CSV and fits it.
    static func run(_ rows: [(x: String, channel: String, won: Int)], spec: String) throws -> CalibrationLab.FitRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("leads.csv"), specFile = folder.appendingPathComponent("spec.yaml")
        try Data((["x,channel,won"] + rows.map { "\($0.x),\($0.channel),\($0.won)" }).joined(separator: "\n").utf8).write(to: csv)
        try Data(spec.utf8).write(to: specFile)
        return try CalibrationLab.fit(data: csv, spec: specFile, penalty: 0.1)
    }

    /// The information values of ``run(_:spec:)``.
    static func fit(_ rows: [(x: String, channel: String, won: Int)], spec: String) throws -> [InformationValue] {
        let run = try run(rows, spec: spec)
        return InformationValue.of(encodings: run.weightFile.encodings, training: run.training)
    }

    /// x = 1: 30 won, 10 lost; x = 0: 20 won, 40 lost (channel alternates and carries nothing).
    /// Ten equal-frequency groups cannot split equal values, so x gives two groups:
    /// IV = (0.4 − 0.8)·ln(0.4/0.8) + (0.6 − 0.2)·ln(0.6/0.2) = 0.277259 + 0.439445 = 0.716704.
    static let twoValues: [(x: String, channel: String, won: Int)] =
        (0..<30).map { ("1", $0 % 2 == 0 ? "a" : "b", 1) } + (0..<10).map { ("1", $0 % 2 == 0 ? "a" : "b", 0) }
        + (0..<20).map { ("0", $0 % 2 == 0 ? "a" : "b", 1) } + (0..<40).map { ("0", $0 % 2 == 0 ? "a" : "b", 0) }

    @Test func aPlainNumericFeatureHasTheIVOfItsFineClasses() throws {
        let values = try Self.fit(
            Self.twoValues,
            spec: """
                outcome: {column: won, positive: ["1"]}
                features:
                  - {column: x, type: numeric, transform: log1p}
                  - {column: channel, type: categorical}
                """)
        let x = try #require(values.first { $0.feature == "x" })
        let iv = try #require(x.value)
        #expect(abs(iv - (0.4 * log(2.0) + 0.4 * log(3.0))) < 1e-12)
        #expect(x.basis == "not binned: 2 equal-frequency groups")
        // channel: a and b hold 25 won / 25 lost each: no information.
        #expect(values.first { $0.feature == "channel" }?.value == 0)
    }

    /// 100 distinct values, won exactly when x ≥ 50: ten groups of ten, each all won or all lost,
    /// so the IV is infinite (a group separates); missing cells form their own group.
    @Test func distinctValuesGiveTenGroupsAndMissingItsOwn() throws {
        var rows: [(x: String, channel: String, won: Int)] = (0..<100).map { ("\($0)", $0 % 2 == 0 ? "a" : "b", $0 >= 50 ? 1 : 0) }
        rows += (0..<6).map { ("", $0 % 2 == 0 ? "a" : "b", $0 % 2) }
        let values = try Self.fit(
            rows,
            spec: """
                outcome: {column: won, positive: ["1"]}
                features:
                  - {column: x, type: numeric, missing: indicator}
                  - {column: channel, type: categorical}
                """)
        let x = try #require(values.first { $0.feature == "x" })
        #expect(x.basis == "not binned: 11 equal-frequency groups")
        #expect(x.value == .infinity)
    }

    /// The fine classing counts distinct values in a table when there are few (engagement counts)
    /// and ranks the rows otherwise; both ways must give the same groups, hence the same IV.
    @Test(arguments: [1, 2, 3, 4]) func countingDistinctValuesGroupsAsRankingTheRowsDoes(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var rows: [(x: String, channel: String, won: Int)] = []
        for i in 0..<2_000 {
            // Skewed counts (many zeros, a long tail), a few missing cells, outcome rising with x.
            let count = Int(-log(Double.random(in: 0.001..<1, using: &random)) * Double(seed * 3))
            let x = i % 97 == 0 ? "" : String(count)
            let won = Double.random(in: 0..<1, using: &random) < min(0.9, 0.05 + 0.04 * Double(count)) ? 1 : 0
            rows.append((x, i % 2 == 0 ? "a" : "b", won))
        }
        let run = try Self.run(
            rows,
            spec: """
                outcome: {column: won, positive: ["1"]}
                features:
                  - {column: x, type: numeric, transform: log1p, missing: indicator}
                  - {column: channel, type: categorical}
                """)
        let training = try #require(run.training)
        let counted = InformationValue.numericIV(training, column: 1, missingColumn: 2)
        let ranked = InformationValue.numericIV(training, column: 1, missingColumn: 2, distinctLimit: 0)
        #expect(counted.groups == ranked.groups && counted.groups > 2)
        #expect(abs(counted.iv - ranked.iv) <= 1e-12 * max(1, abs(ranked.iv)), "counted \(counted.iv), ranked \(ranked.iv)")
        // A table that fills up part way through the rows hands over to ranking them all.
        let handedOver = InformationValue.numericIV(training, column: 1, missingColumn: 2, distinctLimit: 5)
        #expect(handedOver.groups == ranked.groups && handedOver.iv == ranked.iv)
    }

    /// A categorical feature's IV from the encoder's level codes equals the one from reading its
    /// dummy columns (the fallback when no codes were kept), weights and all.
    @Test func categoricalLevelCodesGiveTheIVOfTheDummyColumns() throws {
        var random = SplitMix64(seed: 9)
        var rows: [(x: String, channel: String, won: Int)] = []
        for i in 0..<1_500 {
            let channel = ["web", "event", "partner", "referral", "ads"][Int(Double.random(in: 0..<5, using: &random))]
            let won = Double.random(in: 0..<1, using: &random) < (channel == "referral" ? 0.5 : 0.2) ? 1 : 0
            rows.append((String(i % 13), channel, won))
        }
        let run = try Self.run(
            rows,
            spec: """
                outcome: {column: won, positive: ["1"]}
                features:
                  - {column: x, type: numeric}
                  - {column: channel, type: categorical}
                """)
        var training = try #require(run.training)
        #expect(training.design.oneHot.count == 1, "the encoder kept the channel's level codes")
        let columns = 2..<(2 + run.weightFile.encodings[1].terms.count)
        let fromCodes = InformationValue.categoricalIV(training, columns: columns)
        let coded = training.design
        training.design = CodedDesign(coded.materialized())  // every column dense: the dummies are read
        let fromColumns = InformationValue.categoricalIV(training, columns: columns)
        #expect(fromCodes == fromColumns && fromCodes > 0.05)
        training.weights = (0..<training.design.rows).map { Double($0 % 3) + 0.5 }
        let weightedColumns = InformationValue.categoricalIV(training, columns: columns)
        training.design = coded
        #expect(InformationValue.categoricalIV(training, columns: columns) == weightedColumns && weightedColumns != fromColumns)
    }
}
