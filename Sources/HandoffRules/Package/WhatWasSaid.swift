import Foundation

/// The "What was said" section of a hand-off package: the digest of the lead's captured
/// e-mails, calls, chats and notes, every line a sentence someone said or wrote with its source
/// (built by HandoffFlow from the Conversations module; the package only carries and renders it).
package struct WhatWasSaid: Sendable, Codable, Equatable {
    /// One quoted sentence and where it comes from.
    package struct Line: Sendable, Codable, Equatable {
        /// The sentence as said or written.
        package var text: String
        /// `interaction 12 (call), Dana Reyes, 00:01:05` or `interaction 7 (email), Dana Reyes, line 3`.
        package var source: String
        /// For a next step the date expression found; for a tracker list the tracker and phrase.
        package var note: String?

        package init(text: String, source: String, note: String? = nil) {
            self.text = text
            self.source = source
            self.note = note
        }

        /// The line as a Markdown list item: the quote, its source, the note in brackets.
        var bullet: String { "- \"\(text)\" — \(source)\(note.map { " (\($0))" } ?? "")" }
    }

    /// A tracker and how often it was hit across the lead's interactions.
    package struct TrackerCount: Sendable, Codable, Equatable {
        package var tracker: String
        package var count: Int
        package init(tracker: String, count: Int) {
            self.tracker = tracker
            self.count = count
        }
    }

    /// What another contact of the lead's account said (issue 18 with issue 16's accounts): the
    /// buying group's next steps, objections and tracker counts, each line citing that lead.
    package struct Contact: Sendable, Codable, Equatable {
        package var leadID: String
        package var interactions: Int
        package var nextSteps: [Line]
        package var objections: [Line]
        package var trackerCounts: [TrackerCount]

        package init(leadID: String, interactions: Int, nextSteps: [Line], objections: [Line], trackerCounts: [TrackerCount]) {
            self.leadID = leadID
            self.interactions = interactions
            self.nextSteps = nextSteps
            self.objections = objections
            self.trackerCounts = trackerCounts
        }

        enum CodingKeys: String, CodingKey {
            case interactions, objections
            case leadID = "lead_id"
            case nextSteps = "next_steps"
            case trackerCounts = "tracker_counts"
        }
    }

    /// The other contacts' part: the account and those of its contacts with captured interactions.
    package struct AtAccount: Sendable, Codable, Equatable {
        package var accountID: String
        package var accountName: String?
        package var contacts: [Contact]

        package init(accountID: String, accountName: String?, contacts: [Contact]) {
            self.accountID = accountID
            self.accountName = accountName
            self.contacts = contacts
        }

        enum CodingKeys: String, CodingKey {
            case contacts
            case accountID = "account_id"
            case accountName = "account_name"
        }
    }

    /// How many interactions the digest read.
    package var interactions: Int
    /// The extractive summary (TextRank), in the order said.
    package var summary: [Line]
    /// Next-step candidates, latest first.
    package var nextSteps: [Line]
    /// Objections the prospect raised.
    package var objections: [Line]
    /// Tracker hits by tracker, most first.
    package var trackerCounts: [TrackerCount]
    /// One line per call or meeting transcript: talk ratio, longest monologue, questions, switches, response gap.
    package var callMeasures: [String]
    /// What the account's other contacts said (nil when the lead has no account, or none of its
    /// other contacts has a captured interaction).
    package var atAccount: AtAccount?

    package init(
        interactions: Int, summary: [Line], nextSteps: [Line], objections: [Line], trackerCounts: [TrackerCount], callMeasures: [String]
    ) {
        self.interactions = interactions
        self.summary = summary
        self.nextSteps = nextSteps
        self.objections = objections
        self.trackerCounts = trackerCounts
        self.callMeasures = callMeasures
        atAccount = nil
    }

    enum CodingKeys: String, CodingKey {
        case interactions, summary, objections
        case nextSteps = "next_steps"
        case trackerCounts = "tracker_counts"
        case callMeasures = "call_measures"
        case atAccount = "at_account"
    }

    /// The section's Markdown lines.
    func markdownLines() -> [String] {
        var lines = ["## What was said", ""]
        lines.append(
            interactions > 0
                ? "From \(interactions) captured interaction(s); every line is quoted as said, with its source."
                : "Nothing captured with this lead yet.")
        lines.append("")
        func list(_ title: String, _ items: [Line]) {
            guard !items.isEmpty else { return }
            lines.append("**\(title)**")
            lines.append("")
            for item in items {
                lines.append(item.bullet)
            }
            lines.append("")
        }
        list("Summary", summary)
        list("Next steps", nextSteps)
        list("Objections", objections)
        if !trackerCounts.isEmpty {
            lines.append("**Trackers**: " + trackerCounts.map { "\($0.tracker) \($0.count)" }.joined(separator: ", "))
            lines.append("")
        }
        for measure in callMeasures { lines.append("- \(measure)") }
        if !callMeasures.isEmpty { lines.append("") }
        if let atAccount {
            lines.append("### Elsewhere at \(atAccount.accountName ?? atAccount.accountID)")
            lines.append("")
            for contact in atAccount.contacts {
                let counts = contact.trackerCounts.map { "\($0.tracker) \($0.count)" }.joined(separator: ", ")
                lines.append("**Lead \(contact.leadID)** (\(contact.interactions) interaction(s)\(counts.isEmpty ? "" : "; trackers: " + counts))")
                lines.append("")
                for item in contact.nextSteps + contact.objections {
                    lines.append(item.bullet)
                }
                if !(contact.nextSteps + contact.objections).isEmpty { lines.append("") }
            }
        }
        return lines
    }
}
