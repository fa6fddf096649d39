import Foundation
import ScoringModelFormat
import TestSupport
import Testing

@testable import HandoffRules

/// A random model whose coefficients come from a coarse grid, so that impacts of different
/// features are often exactly equal (ties for the reasons), with random raw rows for it.
struct TiedModel {
    let weights: WeightFile
    var rows: [[String: String]] = []
    var columns: [String: BatchColumn] = [:]

    init(seed: UInt64, rows count: Int) {
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[Int(rng.next() % UInt64(values.count))] }
        let grid = [-1.0, -0.5, 0, 0.5, 1, 2]
        var specs: [FeatureSpec] = [], encodings: [FeatureEncoding] = []
        for c in 0..<4 {
            let levels = Array(["a", "b", "c", "d", "e"].prefix(2 + Int(rng.next() % 4))) + (c == 1 ? [otherLevel] : [])
            let group: FeatureGroup = pick([.fit, .engagement])
            let recode = c == 2 ? ["x": "a"] : [:]
            specs.append(FeatureSpec(column: "c\(c)", type: .categorical, group: group, recode: recode))
            encodings.append(
                FeatureEncoding(
                    column: "c\(c)", type: .categorical, group: group, recode: recode,
                    levels: levels.sorted(), baseline: "a"))
        }
        let rules: [MissingRule] = [.error, .zero, .indicator, .indicator, .zero]
        for k in 0..<5 {
            let transform: NumericTransform = k % 2 == 0 ? .none : .log1p
            let group: FeatureGroup = pick([.fit, .engagement])
            specs.append(FeatureSpec(column: "n\(k)", type: .numeric, transform: transform, missing: rules[k], group: group))
            encodings.append(FeatureEncoding(column: "n\(k)", type: .numeric, group: group, transform: transform, missing: rules[k]))
        }
        let terms = FeatureEncoding.terms(of: encodings)
        let estimates = [-2.0] + terms.dropFirst().map { _ in pick(grid) }
        let spec = ScoringSpec(
            outcome: OutcomeSpec(column: "won", positive: ["1"]), id: "lead_id", features: specs,
            points: PointsScaling(basePoints: 600, baseOdds: 50, pdo: 20), thresholds: nil)
        let training = TrainingMetadata(
            rows: 1000, positives: 100, rowsDropped: 0, inputFile: "tied.csv", inputSHA256: String(repeating: "0", count: 64),
            createdAt: "2025-01-01T00:00:00Z", toolVersion: "test", penalty: 0, converged: true, iterations: 5)
        let metrics = ModelMetrics(
            auc: 0.7, logLoss: 0.3, brier: 0.1, logLikelihood: -300, nullLogLikelihood: -350,
            aic: 620, bic: 660, mcfaddenR2: 0.14)
        weights = WeightFile(
            terms: terms, estimates: estimates, standardErrors: nil, encodings: encodings, spec: spec,
            training: training, metrics: metrics)

        for _ in 0..<count {
            var row: [String: String] = [:]
            for encoding in encodings where encoding.type == .categorical {
                // Known levels, empty (Missing), an unseen value, a recode source, padded text.
                row[encoding.column] = pick(encoding.levels + ["", "zz", "Mining", "x", " a "])
            }
            for encoding in encodings where encoding.type == .numeric {
                let whole = "\(rng.next() % 4)"
                var choices = [whole, whole, whole, "\(Double(rng.next() % 9) / 4)", "2000", "1023", "1024"]
                if encoding.transform == .none { choices.append("-3") } else { choices.append("-0.5") }
                if encoding.missing != .error { choices += ["", ""] }
                row[encoding.column] = pick(choices)
            }
            rows.append(row)
        }
        for encoding in encodings {
            if encoding.type == .categorical {
                var levels: [String] = [], codeOf: [String: Int32] = [:]
                let codes = rows.map { row -> Int32 in
                    let cell = (row[encoding.column] ?? "").trimmingCharacters(in: .whitespaces)
                    if let code = codeOf[cell] { return code }
                    codeOf[cell] = Int32(levels.count)
                    levels.append(cell)
                    return Int32(levels.count - 1)
                }
                columns[encoding.column] = .text(codes: codes, levels: levels)
            } else {
                columns[encoding.column] = .numeric(
                    values: rows.map { Double($0[encoding.column] ?? "") ?? 0 },
                    missing: rows.map { ($0[encoding.column] ?? "").isEmpty })
            }
        }
    }
}

@Suite struct BatchFastPathTests {
    /// Tasks and blocks of odd sizes cross every boundary; the default sizes run the real split.
    static let splits: [(rowsPerTask: Int, blockRows: Int)] = [(37, 5), (1000, 64), (32_768, 256), (1, 1)]

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func blockedScoresEqualTheSingleLeadScorerIncludingTies(seed: UInt64) throws {
        let model = TiedModel(seed: seed, rows: 700)
        let scorer = try LeadScorer(weights: model.weights)
        let singles = try model.rows.enumerated().map { try scorer.score(fields: $1, id: "\($0)") }
        var tiedRows = 0
        for single in singles {
            // A tie that decides the order or the membership of the top three.
            let sizes = single.contributions.map { abs($0.impact) }.filter { $0 > 0 }.sorted(by: >)
            if sizes.count > 1, (1..<min(4, sizes.count)).contains(where: { sizes[$0] == sizes[$0 - 1] }) { tiedRows += 1 }
        }
        #expect(tiedRows > 50, "the grid model should tie often; \(tiedRows) tied rows")
        for split in Self.splits {
            let batch = try BatchScorer(scorer: scorer).score(
                columns: model.columns, rowCount: model.rows.count, file: "tied.csv", lineOfRow: nil,
                rowsPerTask: split.rowsPerTask, blockRows: split.blockRows)
            for (i, single) in singles.enumerated() {
                // Bit for bit, not just close.
                #expect(batch.logOdds[i] == single.logOdds, "row \(i) split \(split)")
                #expect(batch.probability[i] == single.probability, "row \(i) split \(split)")
                #expect(batch.points[i] == single.points, "row \(i) split \(split)")
                #expect(batch.fitPoints[i] == single.fitPoints, "row \(i) split \(split)")
                #expect(batch.engagementPoints[i] == single.engagementPoints, "row \(i) split \(split)")
                #expect(batch.reasons(row: i) == single.reasons, "row \(i) split \(split)")
            }
        }
    }

    @Test func reasonsFollowTheDocumentedRankingOnHandMadeTies() throws {
        // Independent of TopReasons: rank every feature's impact by (|impact| desc, spec order) and
        // keep the first three non-zero, then compare with the batch's reason columns.
        let model = TiedModel(seed: 11, rows: 400)
        let scorer = try LeadScorer(weights: model.weights)
        let batch = try BatchScorer(scorer: scorer).score(
            columns: model.columns, rowCount: model.rows.count, file: "t.csv",
            lineOfRow: nil, rowsPerTask: 50, blockRows: 7)
        for (i, row) in model.rows.enumerated() {
            let contributions = try scorer.score(fields: row, id: "").contributions
            let expected = contributions.indices.filter { contributions[$0].impact != 0 }
                .sorted { (abs(contributions[$0].impact), -$0) > (abs(contributions[$1].impact), -$1) }
                .prefix(3).map { contributions[$0].column }
            #expect(batch.reasons(row: i).map(\.column) == Array(expected), "row \(i)")
            #expect(batch.reasons(row: i).map(\.points) == expected.compactMap { c in contributions.first { $0.column == c }?.impact })
        }
    }

    @Test func firstBadCellIsTheFirstFeatureThenRowAcrossTasks() throws {
        // demo_requests (spec position 3, missing: error) is empty in row 40; page_views (position 5)
        // is infinite in row 3: the earlier feature wins although its row is later and in another task.
        let scorer = try Fixture.scorer()
        var table = GeneratedTable(rows: 60, seed: 5)
        var demo = [Double](repeating: 1, count: 60), demoMissing = [Bool](repeating: false, count: 60)
        demoMissing[40] = true
        demoMissing[55] = true
        demo[50] = -2  // outside log1p's domain, later row of the same feature
        table.columns["demo_requests"] = .numeric(values: demo, missing: demoMissing)
        var pages = [Double](repeating: 3, count: 60)
        pages[3] = .infinity
        table.columns["page_views"] = .numeric(values: pages, missing: [Bool](repeating: false, count: 60))
        for split in Self.splits {
            #expect(
                throws: ScoringError.badCell(
                    file: "x.csv", line: 42, column: "demo_requests",
                    error: .missingValue(column: "demo_requests", rule: .error))
            ) {
                try BatchScorer(scorer: scorer).score(
                    columns: table.columns, rowCount: 60, file: "x.csv", lineOfRow: nil,
                    rowsPerTask: split.rowsPerTask, blockRows: split.blockRows)
            }
        }
        table.columns["demo_requests"] = .numeric(values: demo, missing: [Bool](repeating: false, count: 60))
        #expect(
            throws: ScoringError.badCell(
                file: "x.csv", line: 52, column: "demo_requests",
                error: .outsideLog1pDomain(column: "demo_requests", value: -2))
        ) {
            try BatchScorer(scorer: scorer).score(
                columns: table.columns, rowCount: 60, file: "x.csv", lineOfRow: nil,
                rowsPerTask: 7, blockRows: 3)
        }
    }

    /// The batch kernel refuses what the single-lead scorer refuses: a raw value beyond ±10¹⁵.
    @Test func hugeRawValueIsABadCellNotACrash() throws {
        let scorer = try Fixture.scorer()
        var table = GeneratedTable(rows: 30, seed: 8)
        var pages = [Double](repeating: 3, count: 30)
        pages[7] = 1e300
        table.columns["page_views"] = .numeric(values: pages, missing: [Bool](repeating: false, count: 30))
        for split in Self.splits {
            #expect(
                throws: ScoringError.badCell(file: "x.csv", line: 9, column: "page_views", error: .tooLarge(column: "page_views", value: "1e+300"))
            ) {
                try BatchScorer(scorer: scorer).score(
                    columns: table.columns, rowCount: 30, file: "x.csv", lineOfRow: nil,
                    rowsPerTask: split.rowsPerTask, blockRows: split.blockRows)
            }
        }
    }

    @Test func emptyTableScoresToEmptyColumns() throws {
        let scorer = try Fixture.scorer()
        let table = GeneratedTable(rows: 0, seed: 1)
        let batch = try BatchScorer(scorer: scorer).score(columns: table.columns, rowCount: 0, file: "e.csv")
        #expect(batch.rowCount == 0 && batch.probability.isEmpty && batch.points.isEmpty && batch.unseenLevels.isEmpty)
    }
}
