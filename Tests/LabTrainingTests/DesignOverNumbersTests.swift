import Foundation
import LabNumerics
import ScoringModelFormat
import TestSupport
import Testing

@testable import LabTraining
@testable import LeadCSV

/// The fit's design built over the table's numbers where they lie (one spare column read in
/// front of them, `baton fit`'s read) must equal the design built into memory of its own, in
/// every value, code and side result; and the in-place build must be taken exactly when its
/// conditions hold, the other cases falling back to the copy.
@Suite struct DesignOverNumbersTests {
    /// Rows with counts (many zeros, a long tail), a decimal measure, two categorical
    /// features, a weight and the outcome; `missingEvery` > 0 leaves that count cell empty.
    static func csv(rows: Int, seed: UInt64, missingEvery: Int = 0) -> String {
        var random = SplitMix64(seed: seed)
        var lines = ["visits,score,channel,size,weight,won"]
        for i in 0..<rows {
            let visits = Int(-log(Double.random(in: 0.001..<1, using: &random)) * 4)
            let score = (Double.random(in: -3..<3, using: &random) * 1000).rounded() / 1000
            let channel = ["web", "event", "partner", "ads"][Int.random(in: 0..<4, using: &random)]
            let size = ["1-10", "11-50", "51-200"][Int.random(in: 0..<3, using: &random)]
            let won = Double.random(in: 0..<1, using: &random) < 0.1 + 0.05 * Double(min(visits, 8)) ? "yes" : "no"
            let visitsCell = missingEvery > 0 && i % missingEvery == 3 ? "" : String(visits)
            lines.append("\(visitsCell),\(score),\(channel),\(size),\(1 + i % 3),\(won)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let head = "outcome: {column: won, positive: [\"yes\"]}\n"

    /// Builds the training data from `text` read with and without the spare column (cut into
    /// `parts` chunks parsed concurrently) and checks that they agree; returns whether the
    /// design was built over the table's numbers.
    func compare(_ text: String, spec yaml: String, parts: Int) throws -> Bool {
        let spec = try ScoringSpec.parse(yaml: yaml, file: "s.yaml")
        let requests = EncodingLearner.columnRequests(for: spec, timeWindow: true)
        let plain = try LeadTableReader.read(text: text, file: "t.csv", columns: requests, parts: parts)
        let spare = try LeadTableReader.read(text: text, file: "t.csv", columns: requests, parts: parts, spareNumericColumns: 1)
        #expect(plain.numberBlock == nil)
        let block = try #require(spare.numberBlock)
        #expect(block.spare == 1 && block.rows == plain.rowCount)
        for name in plain.numericColumns.keys {
            #expect(Array(spare.numeric(name).values) == Array(plain.numeric(name).values), "\(name) as read")
            let column: UnsafePointer<Double>? = block.columnOfName[name].map { UnsafePointer(block.base + $0 * block.rows) }
            let values: UnsafePointer<Double>? = spare.numeric(name).values.withUnsafeBufferPointer { $0.baseAddress }
            #expect(column == values, "\(name) is a view of its block column")
        }
        let expected = try TrainingData.build(table: plain, spec: spec)
        let built = try TrainingData.build(table: spare, spec: spec)
        #expect(built.design.materialized().values == expected.design.materialized().values)
        #expect(built.design.names == expected.design.names && built.design.oneHot == expected.design.oneHot)
        #expect(built.design.denseColumns == expected.design.denseColumns)
        #expect(built.outcome == expected.outcome && built.weights == expected.weights)
        #expect(built.encodings == expected.encodings && built.fileLines == expected.fileLines)
        #expect(built.timeWindow == expected.timeWindow && built.rows == expected.rows)
        let fitted = try LogisticRegression.fit(built.design, outcomes: built.outcome, weights: built.weights)
        let reference = try LogisticRegression.fit(expected.design, outcomes: expected.outcome, weights: expected.weights)
        #expect(fitted.coefficients == reference.coefficients && fitted.standardErrors == reference.standardErrors)
        let first = built.design.withDenseValues { $0.baseAddress }
        return first == UnsafePointer(block.base)
    }

    @Test(arguments: [1, 3]) func countsAndLevelsAreBuiltOverTheNumbers(parts: Int) throws {
        let spec =
            Self.head + """
                features:
                  - {column: visits, type: numeric, transform: log1p}
                  - {column: channel, type: categorical}
                  - {column: score, type: numeric}
                  - {column: size, type: categorical}
                """
        #expect(try compare(Self.csv(rows: 3_000, seed: 1), spec: spec, parts: parts))
        // A weight column outside the features is read from its own column, which the design leaves alone.
        #expect(try compare(Self.csv(rows: 3_000, seed: 2), spec: spec + "\nweight: weight", parts: parts))
        // A missing indicator the data never needs leaves the feature one term: still in place.
        let indicator = spec.replacingOccurrences(of: "transform: log1p}", with: "transform: log1p, missing: indicator}")
        #expect(try compare(Self.csv(rows: 3_000, seed: 3), spec: indicator, parts: parts))
    }

    @Test(arguments: [1, 3]) func otherLayoutsFallBackToADesignOfTheirOwn(parts: Int) throws {
        let base = Self.head + "features:\n  - {column: channel, type: categorical}\n  - {column: score, type: numeric}\n"
        // Two terms (value and missing indicator) where the table has one column.
        let indicator = base + "  - {column: visits, type: numeric, missing: indicator}\n"
        #expect(try !compare(Self.csv(rows: 3_000, seed: 4, missingEvery: 11), spec: indicator, parts: parts))
        // Bins: several 0/1 columns from one number.
        let bins = base + "  - {column: visits, type: numeric, transform: bins}\n"
        #expect(try !compare(Self.csv(rows: 3_000, seed: 5), spec: bins, parts: parts))
        // Dropped rows: the kept rows would not sit where the design wants them.
        let dropped = base + "  - {column: visits, type: numeric, missing: drop_row}\n"
        #expect(try !compare(Self.csv(rows: 3_000, seed: 6, missingEvery: 13), spec: dropped, parts: parts))
    }

    /// A bad cell met while building over the numbers throws the error the copy would.
    @Test func aBadCellGivesTheSameError() throws {
        let spec = try ScoringSpec.parse(
            yaml: Self.head + "features:\n  - {column: visits, type: numeric, missing: error}\n  - {column: channel, type: categorical}\n",
            file: "s.yaml")
        let text = Self.csv(rows: 500, seed: 8, missingEvery: 97)
        let requests = EncodingLearner.columnRequests(for: spec, timeWindow: true)
        func error(spare: Int) -> String {
            do {
                let table = try LeadTableReader.read(text: text, file: "t.csv", columns: requests, parts: 2, spareNumericColumns: spare)
                _ = try TrainingData.build(table: table, spec: spec)
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(error(spare: 1) == error(spare: 0) && error(spare: 0).contains("line 5"))
    }
}
