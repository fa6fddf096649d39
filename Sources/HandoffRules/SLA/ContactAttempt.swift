import Foundation

/// One attempt by a rep to reach the prospect. Its time is the instant of the SLA event that
/// carries it. Every attempt counts as a touch for the SLA (the promise is about the rep
/// acting), whatever the outcome.
package struct ContactAttempt: Sendable, Hashable, Codable {
    /// How the rep reached out.
    package enum Channel: String, Sendable, Hashable, Codable, CaseIterable {
        case call, email, meeting, social, sms, other
    }

    /// What came of it.
    package enum Result: String, Sendable, Hashable, Codable, CaseIterable {
        case connected
        case voicemail
        case noAnswer = "no_answer"
        case sent
        case replied
        case bounced
    }

    /// The rep who made the attempt (may differ from the assignee, e.g. a manager covering).
    package let repID: String
    package let channel: Channel
    package let result: Result
    package let note: String?

    package init(repID: String, channel: Channel, result: Result, note: String? = nil) {
        self.repID = repID
        self.channel = channel
        self.result = result
        self.note = note
    }
}
