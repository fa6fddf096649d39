import Foundation
import HandoffPersistence
import HandoffServer
import Testing

/// ``OutboxRetryPolicy``: which answers are delivered, retried (when) or dead letter.
@Suite struct OutboxRetryPolicyTests {
    let policy = OutboxRetryPolicy(baseSeconds: 5, maxDelaySeconds: 3600, maxAttempts: 25, maxAgeSeconds: 259_200)
    let raised = Date(timeIntervalSince1970: 1_772_000_000)

    func outcome(_ status: Int, retryAfter: String? = nil, attempts: Int = 1, after seconds: Double = 0, jitter: Double = 0) -> AlertDeliveryOutcome {
        policy.outcome(
            of: .answered(.init(status: status, retryAfter: retryAfter, bodyExcerpt: "why")), attempts: attempts, createdAt: raised,
            at: raised.addingTimeInterval(seconds), jitter: jitter)
    }

    @Test func twoHundredsDeliverAndPermanentFourHundredsDieAtOnce() {
        for status in [200, 201, 202, 204] { #expect(outcome(status) == .delivered) }
        for status in [301, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422] {
            guard case .deadLetter(let error) = outcome(status) else {
                Issue.record("\(status) not dead letter")
                continue
            }
            #expect(error.hasPrefix("HTTP \(status): why"))
        }
        for status in [408, 425, 429, 500, 502, 503, 504] {
            guard case .retry = outcome(status) else {
                Issue.record("\(status) not retried")
                continue
            }
        }
        #expect(policy.outcome(of: .accepted, attempts: 1, createdAt: raised, at: raised, jitter: 0) == .delivered)
        #expect(
            policy.outcome(of: .refused(reason: "no id"), attempts: 1, createdAt: raised, at: raised, jitter: 0.3)
                == .deadLetter(error: "no id (fix and replay)"))
    }

    @Test func backoffDoublesToItsCapWithEqualJitter() {
        for (attempts, delay) in [(1, 5.0), (2, 10), (3, 20), (10, 2560), (11, 3600), (24, 3600)] {
            #expect(
                outcome(503, attempts: attempts) == .retry(error: "HTTP 503: why", retryAt: raised.addingTimeInterval(delay)), "attempt \(attempts)")
            // Jitter takes off up to half, never adds.
            guard case .retry(_, let jittered) = outcome(503, attempts: attempts, jitter: 0.999) else {
                Issue.record("no retry")
                return
            }
            #expect(jittered.timeIntervalSince(raised) > delay / 2 && jittered.timeIntervalSince(raised) <= delay)
        }
        let network = policy.outcome(of: .failed(reason: "connection refused"), attempts: 2, createdAt: raised, at: raised, jitter: 0)
        #expect(network == .retry(error: "connection refused", retryAt: raised.addingTimeInterval(10)))
    }

    @Test func retryAfterIsAFloorInSecondsOrAnHTTPDate() {
        #expect(outcome(429, retryAfter: "120") == .retry(error: "HTTP 429: why", retryAt: raised.addingTimeInterval(120)))
        #expect(
            outcome(429, retryAfter: "1") == .retry(error: "HTTP 429: why", retryAt: raised.addingTimeInterval(5)), "never earlier than the backoff")
        // RFC 9110 §5.6.7's IMF-fixdate example.
        #expect(OutboxRetryPolicy.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: raised) == Date(timeIntervalSince1970: 784_111_777))
        for junk in ["soon", "-5", "1e3", "", "١٢٠"] { #expect(OutboxRetryPolicy.retryAfter(junk, now: raised) == nil, "\(junk)") }
        #expect(OutboxRetryPolicy.retryAfter("99999999999999999999", now: raised) != nil, "a huge value is clamped, never traps")
    }

    @Test func attemptAndAgeLimitsEndInDeadLetter() {
        guard case .deadLetter(let error) = outcome(500, attempts: 25) else {
            Issue.record("attempt limit")
            return
        }
        #expect(error.contains("gave up after 25 attempts"))
        guard case .deadLetter(let aged) = outcome(500, attempts: 3, after: 259_190) else {
            Issue.record("age limit")
            return
        }
        #expect(aged.contains("older than 259200 s"))
        guard case .deadLetter = outcome(429, retryAfter: "999999", attempts: 1) else {
            Issue.record("a Retry-After past the age limit")
            return
        }
    }
}
