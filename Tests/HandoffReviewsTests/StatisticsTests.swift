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
        #expect(ContingencyTest(counts: [[10, 0], [10, 0]]).skipReason != nil)  // an empty column
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
