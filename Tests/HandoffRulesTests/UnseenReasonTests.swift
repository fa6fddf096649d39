import Foundation
import TestSupport
import Testing

@testable import HandoffRules

/// A categorical value never seen in training, in a feature without `Other`, is scored as the
/// baseline; its reason must name the value and say so, not name the baseline as the lead's value.
@Suite struct UnseenReasonTests {
    static let base = ["company_size": "1000+", "demo_requests": "0", "email_opens": "0", "page_views": "0"]
    /// budget_authority: baseline `no` (0 points), `yes` 0.9 β: the baseline costs f·0.9 against `yes`.
    static let cost = Int((Fixture.factor * 0.9).rounded())

    @Test func leadScorerNamesTheUnseenValue() throws {
        let scorer = try Fixture.scorer()
        let score = try scorer.score(fields: Self.base.merging(["budget_authority": " maybe "]) { _, new in new }, id: "U")
        let reason = try #require(score.reasons.first { $0.column == "budget_authority" })
        #expect(reason.text == "Budget authority 'maybe' not seen in training: scored as baseline 'no' (costs \(Self.cost) points against 'yes')")
        #expect(reason.value == "maybe" && reason.comparedWith == "yes")
        #expect(isClose(reason.points, -Fixture.factor * 0.9, relative: 1e-14))
        // The points are the baseline's, exactly as a lead at the baseline.
        let atBaseline = try scorer.score(fields: Self.base.merging(["budget_authority": "no"]) { _, new in new }, id: "B")
        #expect(score.points == atBaseline.points)
        #expect(
            atBaseline.reasons.first { $0.column == "budget_authority" }?.text
                == "Budget authority 'no' costs \(Self.cost) points against 'yes'")
    }

    @Test func featureWithOtherKeepsTheOtherReason() throws {
        // company_size has `Other`: an unseen size is scored as that level, named as such.
        let scorer = try Fixture.scorer()
        let score = try scorer.score(fields: Self.base.merging(["company_size": "50000+", "budget_authority": "yes"]) { _, new in new }, id: "O")
        let reason = try #require(score.reasons.first { $0.column == "company_size" })
        #expect(reason.text.hasPrefix("Company size 'Other' costs "))
    }

    @Test func batchAndCSVNameTheUnseenValueAndCountItPerColumn() throws {
        let scorer = try Fixture.scorer()
        let rows: [[String: String]] = [
            Self.base.merging(["budget_authority": "maybe"]) { _, new in new },
            Self.base.merging(["budget_authority": "no"]) { _, new in new },
            Self.base.merging(["budget_authority": "maybe"]) { _, new in new },
            Self.base.merging(["budget_authority": "unsure"]) { _, new in new },
        ]
        let levels = ["maybe", "no", "unsure"]
        var columns: [String: BatchColumn] = [
            "budget_authority": .text(codes: [0, 1, 0, 2], levels: levels),
            "company_size": .text(codes: [0, 0, 0, 0], levels: ["1000+"]),
        ]
        for column in ["demo_requests", "email_opens", "page_views"] {
            columns[column] = .numeric(values: [0, 0, 0, 0], missing: [false, false, false, false])
        }
        let batch = try BatchScorer(scorer: scorer).score(columns: columns, rowCount: 4, file: "u.csv")
        #expect(batch.unseenLevels == [BatchScores.UnseenCount(column: "budget_authority", counts: ["maybe": 2, "unsure": 1], scoredAs: "no")])
        for (i, row) in rows.enumerated() {
            #expect(batch.reasons(row: i) == (try scorer.score(fields: row, id: "").reasons))
        }
        let texts = batch.reasons(row: 3).map(\.text)
        #expect(texts.contains("Budget authority 'unsure' not seen in training: scored as baseline 'no' (costs \(Self.cost) points against 'yes')"))
        // The CSV writer caches reason text per code, so the baseline row keeps its own text.
        let csv = String(decoding: ScoredCSV.bytes(scores: batch, idColumn: nil, ids: nil, stages: nil), as: UTF8.self)
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines[1].contains("'maybe' not seen in training") && lines[3].contains("'maybe' not seen in training"))
        #expect(lines[2].contains("Budget authority 'no' costs") && !lines[2].contains("not seen"))
        #expect(lines[4].contains("'unsure' not seen in training"))
    }
}
