import BatonSupport
import Testing
import ScoringModelFormat

/// The shared "did you mean" rule (ScoringModelFormat.NearestName) against hand-counted edits.
struct NearestNameTests {
    @Test(arguments: [("kitten", "sitting", 3), ("", "abc", 3), ("Outcome", "outcome", 0), ("flaw", "lawn", 2), ("same", "same", 0)])
    func editDistanceByHand(a: String, b: String, distance: Int) {
        #expect(NearestName.editDistance(a, b) == distance)
        #expect(NearestName.editDistance(b, a) == distance)
    }

    @Test func closestWithinHalfTheName() {
        let keys = ["outcome", "features", "penalty", "time"]
        #expect(NearestName.closest(to: "featurs", among: keys) == "features")  // 1 edit
        #expect(NearestName.closest(to: "tiem", among: keys) == "time")         // 2 edits ≤ max(2, 2)
        #expect(NearestName.closest(to: "weights", among: keys) == nil)        // nearest is 4+ edits away, limit 3
        #expect(NearestName.closest(to: "x", among: []) == nil)
    }
}
