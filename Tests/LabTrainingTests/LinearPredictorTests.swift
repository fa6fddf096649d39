import Foundation
import LabTraining
import LeadCSV
import ScoringModelFormat
import Testing

/// `baton validate` scores without the design matrix (``DesignMatrixBuilder/linearPredictor``):
/// its η must be bit-identical to the matrix product, its unseen levels and errors the same.
@Suite struct LinearPredictorTests {
    static let yaml = """
        outcome: {column: y, positive: ["yes"]}
        features:
          - {column: n, type: numeric, missing: indicator, transform: log1p}
          - {column: m, type: numeric, missing: zero}
          - {column: k, type: categorical, min_count: 5}
          - {column: c, type: numeric}

        """

    /// 300 rows: counts with empty cells, decimals, a categorical with a rare level.
    static func csv(rows: Int, seed: UInt64, unseen: Bool) -> String {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var text = "y,n,m,k,c\n"
        for row in 0..<rows {
            let n = next() % 7 == 0 ? "" : String(next() % 40)
            let m = next() % 5 == 0 ? "" : String(Double(next() % 10_000) / 97)
            let levels = unseen ? ["a", "b", "c", "rare", "new"] : ["a", "b", "c", "a", "b"]
            let k = row == 3 ? "rare" : levels[Int(next() % 5)]
            text += "\(next() % 3 == 0 ? "yes" : "no"),\(n),\(m),\(k),\(next() % 1000)\n"
        }
        return text
    }

    static func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eta-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func table(_ url: URL, _ encodings: [FeatureEncoding]) throws -> (LeadTable, RowFilter) {
        let table = try LeadTableReader.read(url: url, columns: encodings.map { $0.type == .numeric ? .numeric($0.column) : .text($0.column) })
        let features = encodings.map { FeatureSpec(column: $0.column, type: $0.type, missing: $0.missing) }
        return (table, RowFilter(features: features, table: table))
    }

    @Test(arguments: [1, 3, 64, 299, 100_000]) func etaEqualsTheMatrixProductBitForBit(blockRows: Int) throws {
        let spec = try ScoringSpec.parse(yaml: Self.yaml, file: "s.yaml")
        let training = try Self.write(Self.csv(rows: 300, seed: 1, unseen: false))
        let scoring = try Self.write(Self.csv(rows: 300, seed: 2, unseen: true))
        defer { for url in [training, scoring] { try? FileManager.default.removeItem(at: url) } }
        let encodings = try TrainingData.load(csv: training, spec: spec).encodings
        let matrix = try ScoringData.load(csv: scoring, encodings: encodings, spec: spec)
        #expect(!matrix.unseenLevels.isEmpty, "the scoring file has levels the model never saw")
        // Coefficients of mixed sign and size, one of them zero (skipped by both).
        let coefficients: [Double] = (0..<matrix.design.columns).map { (j: Int) -> Double in
            let x = Double(j)
            return j == 2 ? 0 : (x - 3.5) * 0.37 + 1e-3 * x * x
        }
        var expected = [Double](repeating: 0, count: matrix.design.rows)
        for (j, beta) in coefficients.enumerated() where beta != 0 {
            for i in expected.indices { expected[i] += beta * matrix.design.values[j * matrix.design.rows + i] }
        }
        let (table, filter) = try Self.table(scoring, encodings)
        let (eta, unseen) = try DesignMatrixBuilder.linearPredictor(
            encodings: encodings, table: table, rows: filter.keptRows, coefficients: coefficients, blockRows: blockRows)
        #expect(eta.map { $0.bitPattern } == expected.map { $0.bitPattern })
        #expect(unseen == matrix.unseenLevels)
    }

    /// A bad cell of a later feature in an early block, and one of an earlier feature in a later
    /// block: the matrix path names the earlier feature's, and so must the blocks.
    @Test func theErrorIsTheMatrixPathsError() throws {
        let spec = try ScoringSpec.parse(
            yaml: "outcome: {column: y, positive: [\"yes\"]}\nfeatures:\n  - {column: a, type: numeric}\n  - {column: b, type: numeric}\n",
            file: "s.yaml")
        let training = try Self.write("y,a,b\nyes,1,2\nno,2,3\nyes,3,1\nno,4,4\n")
        var text = "y,a,b\n"
        for row in 0..<100 { text += "no,\(row == 90 ? "" : "1"),\(row == 2 ? "" : "2")\n" }
        let scoring = try Self.write(text)
        defer { for url in [training, scoring] { try? FileManager.default.removeItem(at: url) } }
        let encodings = try TrainingData.load(csv: training, spec: spec).encodings
        let matrixError = #expect(throws: DataError.self) { try ScoringData.load(csv: scoring, encodings: encodings, spec: spec) }
        let (table, filter) = try Self.table(scoring, encodings)
        let blockError = #expect(throws: DataError.self) {
            try DesignMatrixBuilder.linearPredictor(
                encodings: encodings, table: table, rows: filter.keptRows, coefficients: [0.5, 1, -1], blockRows: 8)
        }
        #expect(blockError == matrixError)
        #expect("\(String(describing: blockError))".contains("92"), "line 92 (row 90), column a: \(String(describing: blockError))")
    }
}
