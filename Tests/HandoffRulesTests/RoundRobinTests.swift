import Foundation
import HandoffRules
import TestSupport
import Testing

@Suite struct RoundRobinTests {
    let policy = RoutingPolicy(fallbackQueue: "q", rules: [])
    let monday = Flow.at(2026, 11, 23, 11)

    func sequence(_ router: inout Router, _ count: Int, at instant: Date? = nil, open: [String: Int] = [:]) -> [String] {
        (0..<count).map { router.route(leadID: "L\($0)", fields: [:], at: instant ?? monday, openHandoffs: open).repID ?? "-" }
    }

    @Test func smoothSequenceForWeightsFiveOneOne() {
        // nginx's smooth weighted round-robin for weights a=5, b=1, c=1 gives a a b a c a a per 7 turns
        // (worked by hand, credits after gaining weights: (5,1,1)→a, (3,2,2)→a, (1,3,3)→b, (6,-3,4)→a,
        // (4,-2,5)→c, (9,-1,-1)→a, (7,0,0)→a, back to (0,0,0)).
        var router = Router(policy: policy, roster: RepRoster([Flow.rep("a", weight: 5), Flow.rep("b"), Flow.rep("c")]))
        #expect(sequence(&router, 14) == ["a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a"])
        #expect(router.state.credit == ["a": 0, "b": 0, "c": 0])
    }

    /// Property: over many turns each rep's share converges to weight / total weight, and after
    /// every full cycle the counts are exact.
    @Test(arguments: [[1, 1, 1], [3, 2, 1], [7, 1, 2, 5], [1, 10]])
    func sharesConvergeToWeights(weights: [Int]) {
        let reps = weights.enumerated().map { Flow.rep("r\($0.offset)", weight: $0.element) }
        var router = Router(policy: policy, roster: RepRoster(reps))
        let total = weights.reduce(0, +)
        let cycles = 40
        let picks = sequence(&router, total * cycles)
        for (i, weight) in weights.enumerated() {
            #expect(picks.filter { $0 == "r\(i)" }.count == weight * cycles)
        }
        // Smoothness: in any window of `total` consecutive turns each rep gets within one of its weight.
        for start in 0...(picks.count - total) {
            let window = picks[start..<(start + total)]
            for (i, weight) in weights.enumerated() {
                #expect(abs(window.filter { $0 == "r\(i)" }.count - weight) <= 1)
            }
        }
    }

    /// The returning rep gets no credit for the turns missed while out of office: with three
    /// equal reps, after 90 leads among the other two the returning rep gets one lead in each
    /// of the next windows of three, never a burst.
    @Test func returningRepGetsNoBurst() {
        let away = DateInterval(start: Flow.at(2026, 11, 16), end: Flow.at(2026, 11, 23))
        let reps = [Flow.rep("a"), Flow.rep("b"), Flow.rep("c", outOfOffice: [away])]
        var router = Router(policy: policy, roster: RepRoster(reps))
        let during = sequence(&router, 90, at: Flow.at(2026, 11, 18, 11))
        #expect(!during.contains("c"))
        #expect(during.filter { $0 == "a" }.count == 45)
        let after = sequence(&router, 30, at: Flow.at(2026, 11, 23, 11))
        for start in stride(from: 0, to: 30, by: 3) {
            #expect(after[start..<(start + 3)].filter { $0 == "c" }.count == 1, "window at \(start): \(after)")
        }
        // Credits stay bounded by the total weight no matter how long the absence.
        #expect(router.state.credit.values.allSatisfy { abs($0) <= 3 })
    }

    /// Under random capacity limits the credits stay bounded by the total weight (so no rep
    /// can bank turns to spend in a burst later), their sum stays zero, and shares stay equal.
    @Test func noBurstUnderRandomAvailability() {
        var rng = SplitMix64(seed: 42)
        let reps = [Flow.rep("a", capacity: 5), Flow.rep("b", capacity: 5), Flow.rep("c", capacity: 5)]
        var router = Router(policy: policy, roster: RepRoster(reps))
        var picks: [String] = []
        for turn in 0..<2000 {
            // Each rep is "full" (open = capacity) with probability 0.3 this turn.
            var open: [String: Int] = [:]
            for id in ["a", "b", "c"] where rng.uniform() < 0.3 { open[id] = 5 }
            let pick = router.route(leadID: "L\(turn)", fields: [:], at: monday, openHandoffs: open).repID
            if let pick { picks.append(pick) }
            #expect(router.state.credit.values.reduce(0, +) == 0)
            #expect(router.state.credit.values.allSatisfy { abs($0) <= 3 })
        }
        // Everyone ends up with about a third (availability is symmetric).
        for id in ["a", "b", "c"] {
            let share = Double(picks.filter { $0 == id }.count) / Double(picks.count)
            #expect(abs(share - 1.0 / 3.0) < 0.03)
        }
    }

    @Test func stateRoundTripsThroughJSONAndRoutingIsDeterministic() throws {
        let roster = RepRoster([Flow.rep("a", weight: 2), Flow.rep("b"), Flow.rep("c", weight: 3)])
        var first = Router(policy: policy, roster: roster)
        _ = sequence(&first, 7)
        let saved = try JSONEncoder().encode(first.state)
        var resumed = Router(policy: policy, roster: roster, state: try JSONDecoder().decode(RoundRobinState.self, from: saved))
        var twin = first
        #expect(sequence(&resumed, 20) == sequence(&twin, 20))
    }
}
