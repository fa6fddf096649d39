import Foundation
import HandoffRules
import Testing

@Suite struct DispositionTests {
    let policy = DispositionPolicy(overrides: [
        DispositionCode(code: "student", label: "Student", destination: .disqualified),
        DispositionCode(
            code: "gatekeeper", label: "Gatekeeper block", destination: .nurture, reEngageAfterDays: 30,
            requiresMinimumAttempts: true),
        DispositionCode(code: "bad_timing", label: "Bad timing", destination: .nurture, reEngageAfterDays: 14, isStandard: true),
    ])

    @Test func standardCodesComeFirstThenCustom() {
        #expect(
            policy.codes.map(\.code) == [
                "wrong_fit", "no_budget", "bad_timing", "competitor_chosen", "unresponsive",
                "student", "gatekeeper",
            ])
        #expect(policy.code("bad_timing")?.reEngageAfterDays == 14)
    }

    @Test func unknownCodeListsTheValidOnes() {
        #expect(throws: DispositionError.unknownCode("ghosted", valid: policy.codes.map(\.code))) {
            _ = try policy.validate(code: "ghosted", attemptsMade: 9, minimumAttempts: 6)
        }
        let text = "\(DispositionError.unknownCode("ghosted", valid: ["wrong_fit", "student"]))"
        #expect(text == "unknown disposition code `ghosted`; valid codes: wrong_fit, student (add custom codes under `dispositions.codes`)")
    }

    @Test(arguments: [(0, 6), (4, 2), (5, 1)])
    func unresponsiveSaysHowManyAttemptsAreMissing(made: Int, missing: Int) {
        let error = DispositionError.tooFewAttempts(code: "unresponsive", made: made, required: 6)
        #expect(throws: error) { _ = try policy.validate(code: "unresponsive", attemptsMade: made, minimumAttempts: 6) }
        let plural = missing == 1 ? "attempt" : "attempts"
        #expect("\(error)".hasSuffix("\(made) made, \(missing) more \(plural) still needed"))
    }

    @Test func customCodesCanRequireTheMinimumToo() throws {
        #expect(throws: DispositionError.self) { _ = try policy.validate(code: "gatekeeper", attemptsMade: 2, minimumAttempts: 6) }
        #expect(try policy.validate(code: "gatekeeper", attemptsMade: 6, minimumAttempts: 6).code == "gatekeeper")
        // Codes without the requirement work from the first day.
        #expect(try policy.validate(code: "wrong_fit", attemptsMade: 0, minimumAttempts: 6).destination == .disqualified)
    }

    @Test func reEngageDatesAreCalendarDaysInTheRepsZone() throws {
        // 2026-10-20 10:00 New York + 14 days = 2026-11-03, across the 1 November clock change.
        let outcome = try policy.outcome(
            code: "bad_timing", attemptsMade: 1, minimumAttempts: 6,
            at: Flow.at(2026, 10, 20, 10), timeZone: Flow.newYork)
        #expect(outcome.reEngageOn == Flow.date("2026-11-03"))
        // Standard no_budget: 180 days after 2026-11-24 is 2027-05-23.
        let noBudget = try DispositionPolicy().outcome(
            code: "no_budget", attemptsMade: 0, minimumAttempts: 6,
            at: Flow.at(2026, 11, 24, 12), timeZone: Flow.newYork)
        #expect(noBudget.reEngageOn == Flow.date("2027-05-23"))
        let student = try policy.outcome(
            code: "student", attemptsMade: 0, minimumAttempts: 6,
            at: Flow.at(2026, 11, 24, 12), timeZone: Flow.newYork)
        #expect(student.reEngageOn == nil)
        #expect(student.destination == .disqualified)
    }

    @Test func standardRecycleRules() {
        let rules = Dictionary(uniqueKeysWithValues: DispositionCode.standard.map { ($0.code, $0) })
        #expect(rules["wrong_fit"]?.destination == .disqualified)
        #expect(rules["bad_timing"]?.destination == .nurture)
        #expect(rules["bad_timing"]?.reEngageAfterDays == 90)
        #expect(rules["unresponsive"]?.requiresMinimumAttempts == true)
        #expect(DispositionCode.standard.filter(\.requiresMinimumAttempts).map(\.code) == ["unresponsive"])
    }
}
