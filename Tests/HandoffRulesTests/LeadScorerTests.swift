import Foundation
import ScoringModelFormat
import TestSupport
import Testing

@testable import HandoffRules

@Suite struct LeadScorerTests {
    let b = Fixture.estimates

    @Test func pointsMatchHandComputation() throws {
        let scorer = try LeadScorer(contentsOf: Fixture.weightFileURL())
        let score = try scorer.score(
            fields: [
                "company_size": "1000+", "budget_authority": "no", "demo_requests": "3", "email_opens": "", "page_views": "",
            ], id: "L1")
        // η = β0 + β(1000+) + β(demo)·ln 4 + β(opens)·0 + β(pages)·0 + β(missing pages)·1
        let eta = b[0] + b[1] + b[5] * log(4.0) + b[8]
        #expect(isClose(score.logOdds, eta, relative: 1e-15))
        #expect(isClose(score.probability, 1 / (1 + exp(-eta)), relative: 1e-14))
        #expect(isClose(score.points, Fixture.offset + Fixture.factor * eta, relative: 1e-14))
        #expect(isClose(score.basePoints, Fixture.offset + Fixture.factor * b[0], relative: 1e-14))
        #expect(isClose(score.fitPoints, Fixture.factor * b[1], relative: 1e-14))
        #expect(isClose(score.engagementPoints, Fixture.factor * (b[5] * log(4.0) + b[8]), relative: 1e-14))
        #expect(isClose(score.basePoints + score.fitPoints + score.engagementPoints, score.points, relative: 1e-13))
        #expect(score.modelChecksum == (try Fixture.weights().checksum()))
    }

    @Test func probabilityEqualsTermByTermSum() throws {
        // The lab's η: Σ over model terms in order of β·x, starting from 0 (CalibrationLab's loop).
        let weights = Fixture.weights()
        let scorer = try LeadScorer(weights: weights)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let size = ["1-10", "1000+", "11-200", "201-999", "5000+", ""][Int(rng.next() % 6)]
            let demo = Double(rng.next() % 5), opens = Double(rng.next() % 40)
            let pagesMissing = rng.next() % 3 == 0, pages = Double(rng.next() % 90)
            let fields = [
                "company_size": size, "budget_authority": rng.next() % 2 == 0 ? "no" : "y",
                "demo_requests": "\(Int(demo))", "email_opens": "\(Int(opens))", "page_views": pagesMissing ? "" : "\(Int(pages))",
            ]
            var x: [Double] = [1]
            for encoding in weights.encodings { x += try encoding.termValues(rawCell: fields[encoding.column]) }
            var eta = 0.0
            for (j, term) in weights.model.enumerated() where term.estimate != 0 { eta += term.estimate * x[j] }
            let score = try scorer.score(fields: fields, id: "r")
            #expect(score.logOdds == eta)
            let expected = eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
            #expect(score.probability == expected)
        }
    }

    @Test func missingFieldsAreAllListed() throws {
        let scorer = try Fixture.scorer()
        #expect(throws: ScoringError.missingFields(lead: "L9", fields: ["budget_authority", "email_opens", "page_views"])) {
            try scorer.score(fields: ["company_size": "1-10", "demo_requests": "1"], id: "L9")
        }
        let message = ScoringError.missingFields(lead: "L9", fields: ["a", "b"]).description
        #expect(message.contains("\"a\", \"b\"") && message.contains("add them"))
    }

    @Test func badNumberNamesTheColumn() throws {
        let scorer = try Fixture.scorer()
        #expect(throws: ScoringError.badValue(lead: "L2", column: "email_opens", error: .notANumber(column: "email_opens", value: "many"))) {
            try scorer.score(
                fields: ["company_size": "1-10", "budget_authority": "no", "demo_requests": "0", "email_opens": "many", "page_views": "1"], id: "L2")
        }
    }

    /// The audit's crash (issue 20): a raw numeric feature with `1e300` killed `baton score` and
    /// `baton serve` while formatting the reason. Beyond ±10¹⁵ a number is refused, named.
    @Test func hugeNumbersAreRefusedNotCrashed() throws {
        let scorer = try Fixture.scorer()
        let lead = ["company_size": "1-10", "budget_authority": "no", "demo_requests": "0", "email_opens": "2", "page_views": "1"]
        for value in ["1e300", "-1e300", "1000000000000001", "1.7e308"] {
            #expect(throws: ScoringError.badValue(lead: "L3", column: "page_views", error: .tooLarge(column: "page_views", value: value))) {
                try scorer.score(fields: lead.merging(["page_views": value]) { _, new in new }, id: "L3")
            }
            #expect(throws: ScoringError.badValue(lead: "L3", column: "demo_requests", error: .tooLarge(column: "demo_requests", value: value))) {
                try scorer.score(fields: lead.merging(["demo_requests": value]) { _, new in new }, id: "L3")
            }
        }
        // The bound itself scores, and its reason prints the whole number.
        let edge = try scorer.score(fields: lead.merging(["page_views": "1e15"]) { _, new in new }, id: "L3")
        #expect(edge.probability.isFinite && edge.points.isFinite)
        #expect(edge.reasons.first { $0.column == "page_views" }?.text.hasPrefix("1000000000000000 page views") == true)
    }

    @Test func unseenLevelsFollowTheEncodingRules() throws {
        let scorer = try Fixture.scorer()
        let base = ["demo_requests": "0", "email_opens": "0", "page_views": "0"]
        // company_size has Other: an unseen level scores as Other; a merged level as Other, not unseen.
        let unseen = try scorer.score(fields: base.merging(["company_size": "50000+", "budget_authority": "maybe"]) { a, _ in a }, id: "u")
        #expect(
            unseen.unseenLevels == [
                UnseenLevel(column: "company_size", value: "50000+", scoredAs: "Other"),
                UnseenLevel(column: "budget_authority", value: "maybe", scoredAs: "no"),
            ])
        #expect(isClose(unseen.fitPoints, Fixture.factor * b[3], relative: 1e-14))
        let merged = try scorer.score(fields: base.merging(["company_size": "201-999", "budget_authority": "y"]) { a, _ in a }, id: "m")
        #expect(merged.unseenLevels.isEmpty)
        #expect(isClose(merged.fitPoints, Fixture.factor * b[3] + Fixture.factor * b[4], relative: 1e-14))
    }

    @Test func reasonsRankByImpactAgainstTheBestValue() throws {
        let scorer = try Fixture.scorer()
        let score = try scorer.score(
            fields: [
                "company_size": "11-200", "budget_authority": "no", "demo_requests": "3", "email_opens": "10", "page_views": "",
            ], id: "R")
        let f = Fixture.factor
        // Impacts: size 11-200 vs best 1000+: f(0.4−1.2) = −23.08; budget no vs yes: −25.97;
        // demo: f·1.1·ln 4 = 43.99; opens: f·0.05·10 = 14.43; pages missing: −8.66.
        #expect(score.reasons.map(\.column) == ["demo_requests", "budget_authority", "company_size"])
        #expect(score.reasons[0].text == "3 demo requests add \(Int((f * 1.1 * log(4.0)).rounded())) points")
        #expect(score.reasons[1].text == "Budget authority 'no' costs \(Int((f * 0.9).rounded())) points against 'yes'")
        #expect(score.reasons[2].text == "Company size '11-200' costs \(Int((f * 0.8).rounded())) points against '1000+'")
        #expect(isClose(score.reasons[1].points, -f * 0.9, relative: 1e-14))
        // At the best level, the reason is the gain against the worst level.
        let best = try scorer.score(
            fields: [
                "company_size": "1000+", "budget_authority": "yes", "demo_requests": "0", "email_opens": "0", "page_views": "0",
            ], id: "B")
        #expect(best.reasons.first?.text == "Company size '1000+' adds \(Int((f * 1.7).rounded())) points against 'Other'")
        #expect(best.reasons.map(\.column) == ["company_size", "budget_authority"])  // zero impacts left out
    }

    @Test func tamperedWeightFileIsRefused() throws {
        let url = try Fixture.weightFileURL()
        var text = try String(contentsOf: url, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"estimate\": 1.2", with: "\"estimate\": 1.3")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect {
            try LeadScorer(contentsOf: url)
        } throws: { error in
            guard case ScoringError.weightFile(.checksumMismatch) = error else { return false }
            return true
        }
    }
}
