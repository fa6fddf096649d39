import Foundation
import HandoffPersistence

/// What one delivery attempt's result means for its outbox row: delivered, retried later, or
/// given up (dead letter). A pure function of the answer, the row's history and the clock.
///
/// - 2xx: delivered.
/// - 408, 425, 429 and 5xx, or no answer at all (network, timeout, a channel not configured):
///   retried after `min(base · 2^(n−1), max)` seconds for the n-th failure, scaled by a random
///   factor in (0.5, 1] ("equal jitter", so instances that failed together do not retry together),
///   and never before the receiver's `Retry-After` (RFC 9110 §10.2.3, seconds or an HTTP date).
/// - Any other answer (3xx not followed, 4xx such as 400 bad property, 401, 403, 404): it will
///   never succeed as sent, so it is dead letter at once, with the receiver's text.
/// - A row that reaches `maxAttempts` failed attempts, or whose next attempt would fall more than
///   `maxAgeSeconds` after it was raised, is dead letter too. Dead letter is never dropped: it
///   stays listed (`GET /outbox?state=dead`) until replayed (`POST /outbox/{id}/replay`).
package struct OutboxRetryPolicy: Sendable, Hashable {
    package var baseSeconds: Double
    package var maxDelaySeconds: Double
    package var maxAttempts: Int
    package var maxAgeSeconds: Double

    package init(baseSeconds: Double, maxDelaySeconds: Double, maxAttempts: Int, maxAgeSeconds: Double) {
        self.baseSeconds = baseSeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.maxAttempts = maxAttempts
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// What happened on one attempt.
    package enum Attempt: Sendable, Hashable {
        /// The receiver answered.
        case answered(OutboundRequest.Answer)
        /// Sent by a channel without HTTP status (e-mail accepted by the SMTP server).
        case accepted
        /// No answer, or the attempt could not be made; `reason` is recorded.
        case failed(reason: String)
        /// The row cannot be sent as it is (a lead without a CRM record id): dead letter at once.
        case refused(reason: String)
    }

    /// - Parameters:
    ///   - attempts: failed or successful attempts so far, this one included.
    ///   - jitter: a number in [0, 1) (random in service; 0, the full delay, in tests).
    package func outcome(of attempt: Attempt, attempts: Int, createdAt: Date, at now: Date, jitter: Double) -> AlertDeliveryOutcome {
        let error: String
        var notBefore: Date?
        switch attempt {
        case .accepted:
            return .delivered
        case .answered(let answer) where (200..<300).contains(answer.status):
            return .delivered
        case .answered(let answer):
            error = "HTTP \(answer.status)" + (answer.bodyExcerpt.isEmpty ? "" : ": \(answer.bodyExcerpt)")
            guard Self.isTransient(status: answer.status) else { return .deadLetter(error: error + " (will not succeed as sent; fix and replay)") }
            notBefore = answer.retryAfter.flatMap { Self.retryAfter($0, now: now) }
        case .failed(let reason):
            error = reason
        case .refused(let reason):
            return .deadLetter(error: reason + " (fix and replay)")
        }
        if attempts >= maxAttempts {
            return .deadLetter(error: error + " (gave up after \(attempts) attempts)")
        }
        let exponent = Double(min(max(attempts - 1, 0), 62))
        let delay = min(baseSeconds * pow(2, exponent), maxDelaySeconds) * (1 - 0.5 * min(max(jitter, 0), 1))
        var next = now.addingTimeInterval(delay)
        if let notBefore, notBefore > next { next = notBefore }
        if next.timeIntervalSince(createdAt) > maxAgeSeconds {
            return .deadLetter(error: error + " (gave up: older than \(Int(maxAgeSeconds)) s by the next attempt)")
        }
        return .retry(error: error, retryAt: next)
    }

    /// Statuses a later attempt may get past: request timeout, too early, too many requests, server errors.
    package static func isTransient(status: Int) -> Bool {
        status == 408 || status == 425 || status == 429 || (500..<600).contains(status) || status == 0
    }

    /// The instant a `Retry-After` value names: delta-seconds (a non-negative integer) or an
    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`); nil for anything else.
    package static func retryAfter(_ value: String, now: Date) -> Date? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) {
            // At most nine digits (about 31 years): a longer value is read as its first nine, never overflows.
            return now.addingTimeInterval(Double(Int(text.prefix(9)) ?? 0))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }
}
