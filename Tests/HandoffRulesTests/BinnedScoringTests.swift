import Foundation
import ScoringModelFormat
import TestSupport
import Testing

@testable import HandoffRules

/// The hand-off scorer on a model with binned features (issue 15): single and batch scoring equal
/// the weight file's own encoding (`FeatureEncoding.encode(rawCell:)` times β in term order), a
/// binned feature's reason names its bin, and a bad cell is refused as for any numeric feature.
@Suite struct BinnedScoringTests {
    static let weights = WeightFileFixture.binnedFile()

    static func rows(count: Int) -> [[String: String]] {
        var rng = SplitMix64(seed: 15)
        func pick(_ values: [String]) -> String { values[Int(rng.next() % UInt64(values.count))] }
        return (0..<count).map { _ in
            [
                // Values on, just below and above the cuts, empty cells, negatives.
                "age": pick(["", "24.999", "25", "40.5", "40.49", "59", "60", "99", "-3", "\(Double(rng.next() % 800) / 10)"]),
                "visits": pick(["", "0", "0.5", "0.49", "3.25", "3.2", "12", "\(Double(rng.next() % 100) / 20)"]),
                "pages": pick(["0", "3", "7.5"]),
                "lead \"source\"": pick(["Google", "google", "Ads", "", "fax", "new"]),
                "size": pick(["large", "small", "medium", "huge", ""]),
            ]
        }
    }

    static func encodedLogOdds(_ row: [String: String]) throws -> Double {
        var values: [Double] = [1]
        for encoding in weights.encodings { values += try encoding.encode(rawCell: row[encoding.column]).values }
        return zip(weights.model, values).reduce(0) { $0 + $1.0.estimate * $1.1 }
    }

    @Test func singleAndBatchEqualTheEncoding() throws {
        let rows = Self.rows(count: 500)
        let scorer = try LeadScorer(weights: Self.weights)
        let singles = try rows.enumerated().map { try scorer.score(fields: $1, id: "\($0)") }
        for (row, single) in zip(rows, singles) {
            #expect(isClose(single.logOdds, try Self.encodedLogOdds(row), mixed: 1e-13), "\(row)")
        }
        var columns: [String: BatchColumn] = [:]
        for encoding in Self.weights.encodings {
            if encoding.type == .numeric {
                columns[encoding.column] = .numeric(
                    values: rows.map { Double($0[encoding.column] ?? "") ?? 0 }, missing: rows.map { ($0[encoding.column] ?? "").isEmpty })
            } else {
                let levels = Array(Set(rows.map { $0[encoding.column] ?? "" })).sorted()
                columns[encoding.column] = .text(codes: rows.map { Int32(levels.firstIndex(of: $0[encoding.column] ?? "") ?? 0) }, levels: levels)
            }
        }
        for split in [(37, 5), (32_768, 256)] {
            let batch = try BatchScorer(scorer: scorer).score(
                columns: columns, rowCount: rows.count, file: "b.csv", lineOfRow: nil, rowsPerTask: split.0, blockRows: split.1)
            for (i, single) in singles.enumerated() {
                #expect(batch.logOdds[i] == single.logOdds, "row \(i)")
                #expect(batch.points[i] == single.points, "row \(i)")
                #expect(batch.engagementPoints[i] == single.engagementPoints, "row \(i)")
                #expect(batch.reasons(row: i) == single.reasons, "row \(i)")
            }
        }
    }

    @Test func reasonsNameTheBinAndBadCellsAreRefused() throws {
        let scorer = try LeadScorer(weights: Self.weights)
        let lead = ["age": "61", "visits": "", "pages": "1", "lead \"source\"": "Ads", "size": "small"]
        let score = try scorer.score(fields: lead, id: "x")
        // age ≥ 60 has the most points of its bins: it adds against the fewest (the Missing bin).
        let age = try #require(score.contributions.first { $0.column == "age" })
        #expect(age.value == "61 (≥ 60)")
        #expect(isClose(age.points, Self.weights.points.factor * 0.9, mixed: 1e-12))
        // visits empty under `missing: zero`: scored in the bin of 0, the lowest, 0 points.
        #expect(score.contributions.first { $0.column == "visits" }?.points == 0)
        let reason = try #require(score.reasons.first { $0.column == "age" })
        #expect(reason.text.contains("'≥ 60' adds") && reason.text.contains("against 'Missing'"), "\(reason.text)")
        #expect(throws: ScoringError.self) { try scorer.score(fields: lead.merging(["age": "4x"]) { $1 }, id: "y") }
        #expect(throws: ScoringError.self) { try scorer.score(fields: lead.merging(["age": "1e300"]) { $1 }, id: "y") }
    }
}
