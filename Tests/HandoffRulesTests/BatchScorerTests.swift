import Foundation
import TestSupport
import Testing

@testable import HandoffRules

/// Random raw rows (with empty cells, merged and unseen levels, spaces), as both field
/// dictionaries and dictionary-encoded columns.
struct GeneratedTable {
    var rows: [[String: String]] = []
    var columns: [String: BatchColumn] = [:]

    init(rows count: Int, seed: UInt64, extraText: [String: [String]] = [:]) {
        var rng = SplitMix64(seed: seed)
        let choices: [String: [String]] = [
            "company_size": ["1-10", "1000+", "11-200", "201-999", "", "5000+", " 1000+ "],
            "budget_authority": ["no", "yes", "y", "", "unsure"],
        ].merging(extraText) { a, _ in a }
        for _ in 0..<count {
            var row: [String: String] = [:]
            for (column, values) in choices { row[column] = values[Int(rng.next() % UInt64(values.count))] }
            row["demo_requests"] = "\(rng.next() % 4)"
            row["email_opens"] = rng.next() % 5 == 0 ? "" : "\(rng.next() % 60)"
            row["page_views"] = rng.next() % 4 == 0 ? "" : String(Double(rng.next() % 4000) / 8)
            rows.append(row)
        }
        for column in choices.keys {
            var levels: [String] = [], codeOf: [String: Int32] = [:]
            let codes = rows.map { row -> Int32 in
                // A columnar reader trims cells; the scorer trims too, so both see the same text.
                let cell = (row[column] ?? "").trimmingCharacters(in: .whitespaces)
                if let code = codeOf[cell] { return code }
                codeOf[cell] = Int32(levels.count)
                levels.append(cell)
                return Int32(levels.count - 1)
            }
            columns[column] = .text(codes: codes, levels: levels)
        }
        for column in ["demo_requests", "email_opens", "page_views"] {
            let missing = rows.map { ($0[column] ?? "").isEmpty }
            let values = rows.map { Double($0[column] ?? "") ?? 0 }
            columns[column] = .numeric(values: values, missing: missing)
        }
    }
}

@Suite struct BatchScorerTests {
    @Test func batchEqualsSingleLeadScorerOnEveryRow() throws {
        let scorer = try Fixture.scorer()
        let table = GeneratedTable(rows: 3000, seed: 42)
        let batch = try BatchScorer(scorer: scorer).score(columns: table.columns, rowCount: table.rows.count, file: "gen.csv")
        var unseenRows = 0
        for (i, row) in table.rows.enumerated() {
            let single = try scorer.score(fields: row, id: "\(i)")
            #expect(isClose(batch.probability[i], single.probability, absolute: 1e-12))
            #expect(isClose(batch.points[i], single.points, absolute: 1e-12))
            #expect(isClose(batch.fitPoints[i], single.fitPoints, absolute: 1e-12))
            #expect(isClose(batch.engagementPoints[i], single.engagementPoints, absolute: 1e-12))
            #expect(batch.reasons(row: i) == single.reasons)
            if !single.unseenLevels.isEmpty { unseenRows += 1 }
        }
        // Same summation order: not just close, identical.
        #expect(
            (0..<table.rows.count).allSatisfy { i in batch.probability[i] == (try? scorer.score(fields: table.rows[i], id: "")).map(\.probability) })
        let reported = batch.unseenLevels.reduce(0) { $0 + $1.counts.values.reduce(0, +) }
        #expect(reported >= unseenRows && unseenRows > 0)
    }

    @Test func missingColumnsAreAllListed() throws {
        let scorer = try Fixture.scorer()
        var table = GeneratedTable(rows: 5, seed: 1)
        table.columns["email_opens"] = nil
        table.columns["company_size"] = nil
        #expect(throws: ScoringError.missingColumns(file: "x.csv", columns: ["company_size", "email_opens"])) {
            try BatchScorer(scorer: scorer).score(columns: table.columns, rowCount: 5, file: "x.csv")
        }
    }

    @Test func badCellNamesTheLine() throws {
        // demo_requests has `missing: error`: an empty cell stops with its file line.
        let scorer = try Fixture.scorer()
        var table = GeneratedTable(rows: 4, seed: 3)
        table.columns["demo_requests"] = .numeric(values: [1, 2, 0, 1], missing: [false, false, true, false])
        #expect(
            throws: ScoringError.badCell(
                file: "x.csv", line: 9, column: "demo_requests",
                error: .missingValue(column: "demo_requests", rule: .error))
        ) {
            try BatchScorer(scorer: scorer).score(columns: table.columns, rowCount: 4, file: "x.csv", lineOfRow: [2, 5, 9, 10])
        }
    }

    /// `baton score` streams the CSV in blocks formatted on all cores: any block size, including
    /// one that leaves a lane idle in the last round, gives the bytes of the one-buffer writer.
    @Test(arguments: [1, 2, 7, 16, 49, 50, 64]) func blocksOnAllCoresGiveTheSameBytes(blockRows: Int) throws {
        let scorer = try Fixture.scorer()
        let table = GeneratedTable(rows: 50, seed: 11)
        let batch = try BatchScorer(scorer: scorer).score(columns: table.columns, rowCount: 50, file: "gen.csv")
        let ids = (0..<50).map { "L,\($0)" }  // quoted in the output
        let stages = (0..<50).map { batch.thresholdStage(row: $0, thresholds: Fixture.weights().thresholds) ?? .nurture }
        let whole = ScoredCSV.bytes(scores: batch, idColumn: "lead_id", ids: ids, stages: stages)
        var streamed: [UInt8] = []
        var pieces = 0
        ScoredCSV.write(scores: batch, idColumn: "lead_id", ids: ids, stages: stages, blockRows: blockRows) {
            streamed.append(contentsOf: $0)
            pieces += 1
        }
        #expect(streamed == whole)
        #expect(pieces == 1 + (50 + blockRows - 1) / blockRows, "the header, then one piece per block")
    }

    /// A sink that fails (a full disk) stops the writer at that block, while the next round is
    /// being formatted beside it: the error comes out, and nothing after it reaches the sink.
    @Test(arguments: [1, 3, 6]) func aFailingSinkStopsTheWriterThere(failingPiece: Int) throws {
        struct DiskFull: Error {}
        let scorer = try Fixture.scorer()
        let table = GeneratedTable(rows: 50, seed: 13)
        let batch = try BatchScorer(scorer: scorer).score(columns: table.columns, rowCount: 50, file: "gen.csv")
        let whole = ScoredCSV.bytes(scores: batch, idColumn: nil, ids: nil, stages: nil)
        var received: [UInt8] = []
        var pieces = 0
        #expect(throws: DiskFull.self) {
            try ScoredCSV.write(scores: batch, idColumn: nil, ids: nil, stages: nil, blockRows: 4) {
                pieces += 1
                if pieces == failingPiece { throw DiskFull() }
                received.append(contentsOf: $0)
            }
        }
        #expect(pieces == failingPiece)
        #expect(received.count < whole.count)
        #expect(Array(whole.prefix(received.count)) == received, "what was written is the file's start, in order")
    }

    @Test func scoredCSVHasTheDocumentedColumnsAndReasonTexts() throws {
        let scorer = try Fixture.scorer()
        let table = GeneratedTable(rows: 50, seed: 9)
        let batch = try BatchScorer(scorer: scorer).score(columns: table.columns, rowCount: 50, file: "gen.csv")
        let ids = (0..<50).map { "L\($0)" }
        let stages = (0..<50).map { batch.thresholdStage(row: $0, thresholds: Fixture.weights().thresholds) ?? .nurture }
        let text = String(decoding: ScoredCSV.bytes(scores: batch, idColumn: "lead_id", ids: ids, stages: stages), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "lead_id,probability,points,fit_points,engagement_points,stage,reason_1,reason_2,reason_3")
        #expect(lines.count == 51)
        for i in 0..<50 {
            let cells = lines[i + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(cells.count == 9)
            #expect(cells[0] == ids[i])
            #expect(isClose(Double(cells[1]) ?? .nan, batch.probability[i], absolute: 5.1e-13))
            #expect(isClose(Double(cells[2]) ?? .nan, batch.points[i], absolute: 5.1e-7))
            #expect(cells[5] == (batch.points[i] >= 560 ? "mql" : "nurture"))
            let reasons = batch.reasons(row: i).map(\.text)
            #expect(Array(cells[6...].prefix(reasons.count)) == reasons)
        }
    }

    @Test(arguments: [
        (0.5, 6, "0.500000"), (-1.25, 2, "-1.25"), (1234.56789, 3, "1234.568"), (0, 12, "0.000000000000"),
        (-0.0000001, 6, "0.000000"), (7e-13, 12, "0.000000000001"), (600, 0, "600"),
    ])
    func fixedDecimals(value: Double, decimals: Int, expected: String) {
        var out: [UInt8] = []
        ScoredCSV.appendFixed(value, decimals: decimals, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    /// Property: the fixed-point writer (digits written backwards into place) spells every value
    /// as the scaled, rounded integer printed by the standard library, with the point put back.
    @Test func fixedDecimalsMatchTheScaledIntegerSpelledOut() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let decimals = Int.random(in: 0...12, using: &generator)
            let magnitude = Double.random(in: -14...6, using: &generator)
            let x = (Bool.random(using: &generator) ? -1 : 1) * Double.random(in: 0..<10, using: &generator) * pow(10, magnitude)
            var scale = 1.0
            for _ in 0..<decimals { scale *= 10 }
            let scaled = (abs(x) * scale).rounded()
            guard scaled < 9.0e18 else { continue }
            var digits = String(UInt64(scaled))
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits }
            var expected = decimals == 0 ? digits : "\(digits.dropLast(decimals)).\(digits.suffix(decimals))"
            if x < 0 && scaled != 0 { expected = "-" + expected }
            var out: [UInt8] = []
            ScoredCSV.appendFixed(x, decimals: decimals, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == expected, "x = \(x), \(decimals) decimals")
        }
        for (value, expected) in [(Double.nan, "nan"), (.infinity, "inf"), (1e300, "1e+300"), (-9.5e11, "-950000000000.000000")] {
            var out: [UInt8] = []
            ScoredCSV.appendFixed(value, decimals: 6, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == expected)
        }
    }

    @Test func csvQuotingOnlyWhenNeeded() {
        var out: [UInt8] = []
        ScoredCSV.appendText("plain", to: &out)
        out.append(0x7C)
        ScoredCSV.appendText("a,\"b\"", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "plain|\"a,\"\"b\"\"\"")
    }
}
