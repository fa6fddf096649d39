import Foundation
import ScoringModelFormat
import TestSupport
import Testing

@Suite struct PointsScaleTests {
    /// GLOSSARY example: 600 points at odds 50:1, PDO 20.
    @Test func glossaryExample() {
        let scale = PointsScale(PointsScaling())
        #expect(isClose(scale.factor, 28.853900817779268, relative: 1e-15))
        #expect(isClose(scale.offset, 487.1228762045055, relative: 1e-14))
        #expect(isClose(scale.points(logOdds: log(50)), 600, relative: 1e-14))
        #expect(isClose(scale.points(logOdds: log(100)), 620, relative: 1e-14))
        #expect(isClose(scale.points(logOdds: log(25)), 580, relative: 1e-14))
        #expect(isClose(scale.probability(points: 600), 50.0 / 51.0, relative: 1e-14))
        #expect(isClose(scale.probability(points: scale.offset), 0.5, relative: 1e-15))
    }

    @Test func probabilityAndPointsAreInverse() {
        let scale = PointsScale(PointsScaling(basePoints: 500, baseOdds: 1.5, pdo: 40))
        for p in stride(from: 0.001, to: 1, by: 0.0137) {
            #expect(isClose(scale.probability(points: scale.points(probability: p)), p, relative: 1e-12))
        }
        #expect(scale.probability(points: 1e6) == 1)
        #expect(scale.probability(points: -1e6) == 0)
    }
}
