import Foundation
import HandoffPersistence
import HandoffReviews
import TestSupport
import Testing

@Suite struct StatisticsTests {
    @Test func quantilesType7() {
        #expect(Quantile.of([4, 1, 3, 2], 0.5) == 2.5)
        #expect(isClose(Quantile.of([1, 2, 3, 4], 0.9) ?? -1, 3.7, absolute: 1e-12, relative: 0))  // h = 2.7
        #expect(Quantile.of([], 0.5) == nil)
        #expect(Quantile.of([7], 0.9) == 7)
    }

    /// 2 × 2 table [[20, 5], [5, 20]]: E = 12.5 everywhere, X² = 4 · 7.5² / 12.5 = 18, df 1,
    /// p = erfc(3) = 2.2090497e-5 (scipy chi2.sf(18, 1)); adjusted residual 7.5 / √(12.5 · ½ · ½) = 4.2426;
    /// Bonferroni cut-off z(1 − 0.05/8) = 2.4977055 (scipy norm.ppf).
    @Test func chiSquareByHand() {
        let t = ContingencyTest(counts: [[20, 5], [5, 20]])
        #expect(t.skipReason == nil && t.degreesOfFreedom == 1)
        #expect(isClose(t.statistic ?? -1, 18, absolute: 1e-12, relative: 0))
        #expect(isClose(t.pValue ?? -1, 2.2090496998585475e-05, absolute: 0, relative: 1e-9))
        #expect(isClose(t.adjustedResiduals[0][0], 7.5 / (12.5 * 0.25).squareRoot(), absolute: 1e-12, relative: 0))
        #expect(isClose(t.adjustedResiduals[0][1], -7.5 / (12.5 * 0.25).squareRoot(), absolute: 1e-12, relative: 0))
        #expect(isClose(t.residualCutoff, 2.497705474412374, absolute: 1e-9, relative: 0))
    }

    @Test func chiSquareRefusesSmallExpectedCounts() {
        #expect(ContingencyTest(counts: [[3, 1], [1, 3]]).skipReason != nil)  // all E = 2 < 5
        #expect(ContingencyTest(counts: [[10, 10]]).skipReason != nil)  // one row
        #expect(ContingencyTest(counts: []).skipReason != nil && ContingencyTest(counts: []).degreesOfFreedom == 0)  // nothing at all
        #expect(ContingencyTest(counts: [[10, 0], [10, 0]]).skipReason != nil)  // an empty column
    }

    /// A table that fails Cochran's rule says by how much, and how many units the same shares need:
    /// [[3, 1], [1, 3]] has E = 2 in all 4 cells (none may be below 5), so N must grow 5/2-fold, 8 → 20;
    /// [[8, 1, 1], [8, 1, 1]] has E = 8, 1, 1, 8, 1, 1 (one of 6 may be below 5): the second smallest, 1, must reach 5, 20 → 100.
    @Test func chiSquareSaysWhatItNeeds() {
        let square = ContingencyTest(counts: [[3, 1], [1, 3]])
        #expect(square.minimumTotal == 20)
        #expect(
            square.skipReason
                == "needs every expected count ≥ 1 and at most 20 % of them below 5 (Cochran's rule); here the smallest is 2.00 and 4 of 4 are below 5"
        )
        let wide = ContingencyTest(counts: [[8, 1, 1], [8, 1, 1]])
        #expect(wide.minimumTotal == 100 && wide.skipReason?.contains("the smallest is 1.00 and 4 of 6 are below 5") == true)
        // E = 0.1, 0.1, 0.8, 0.9, 0.9, 7.2: the second smallest, 0.1, must reach 5, 10 → 500 (up to rounding).
        let tiny = ContingencyTest(counts: [[1, 0, 0], [0, 1, 8]])
        #expect((500...501).contains(tiny.minimumTotal ?? 0) && tiny.skipReason?.contains("the smallest is 0.10") == true)
        // The same shares at the stated size pass.
        #expect(ContingencyTest(counts: [[40, 5, 5], [40, 5, 5]]).skipReason == nil)
        // No size fixes a table with one row; passing tests need nothing.
        #expect(ContingencyTest(counts: [[10, 10]]).minimumTotal == nil && ContingencyTest(counts: [[20, 5], [5, 20]]).minimumTotal == nil)
        // The report's note names the size and the way to get there.
        let note = ReviewReport.dispositionTestNote(square, dispositioned: 8, configuration: AnalyticsConfiguration())
        #expect(
            note
                == "not tested: needs every expected count ≥ 1 and at most 20 % of them below 5 (Cochran's rule); here the smallest is 2.00 and 4 of 4 are below 5; at these shares that takes about 20 dispositioned hand-offs (this period has 8): review a longer period with `baton review period --from … --to …`"
        )
        #expect(
            ReviewReport.dispositionTestNote(ContingencyTest(counts: [[10, 10]]), dispositioned: 20, configuration: AnalyticsConfiguration())
                .contains("where a category or code with fewer than 5 dispositioned hand-offs pools into (other)"))
        #expect(
            ReviewReport.dispositionTestNote(ContingencyTest(counts: []), dispositioned: 0, configuration: AnalyticsConfiguration())
                == "not tested: no hand-off of the period has a disposition")
    }

    /// Property: independent tables (rows proportional) give X² = 0 and p = 1.
    @Test func proportionalRowsAreIndependent() {
        for k in 1...5 {
            let t = ContingencyTest(counts: [[10 * k, 20 * k, 30 * k], [10, 20, 30]])
            #expect(isClose(t.statistic ?? -1, 0, absolute: 1e-9, relative: 0))
            #expect(isClose(t.pValue ?? -1, 1, absolute: 1e-9, relative: 0))
        }
    }

    @Test func wilsonThroughProportion() throws {
        let ci = try #require(Proportion(8, of: 10).interval)  // by hand: 0.49016247, 0.94331785
        #expect(isClose(ci.lower, 0.4901624715366418, absolute: 1e-12, relative: 0))
        #expect(isClose(ci.upper, 0.9433178485456248, absolute: 1e-12, relative: 0))
        #expect(Proportion(0, of: 0).rate == nil && Proportion(0, of: 0).interval == nil)
    }
}
