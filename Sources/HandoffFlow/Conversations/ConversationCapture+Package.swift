import Conversations
import Foundation
import HandoffPersistence
import HandoffRules

extension ConversationCapture {
    /// Adds what was said to a hand-off package: the "What was said" section, the pain points and
    /// solutions explored quoted from the interactions (after the lead's own fields, each with its
    /// source in brackets), and one approach line per tracker hit whose playbook entry has a
    /// `say:` line (the first phrase found of each tracker, e.g. a competitor's counter-positioning).
    /// Leaves the package as it is when nothing was captured. `records` are the lead's stored
    /// interactions, `account` its account (nil: it has none), as the caller read them.
    ///
    /// The lead's account (when it has one) adds what its other contacts said: each contact's
    /// latest next steps and objections (at most ``contactLines`` of each) and tracker counts,
    /// for at most ``contactsRead`` contacts, every line citing the contact's lead.
    package func enrich(_ package: inout HandoffPackage, records: [InteractionRecord], account: LeadAccount?) async throws(CaptureError) {
        let sources = Self.sources(records)
        let atAccount = try await atAccount(account)
        guard !sources.isEmpty || atAccount != nil else { return }
        // The trackers run once per interaction: the digest and the approach lines share the hits.
        let hits = sources.map { TrackerMatcher.hits(in: $0.interaction, trackers: trackers) }
        let digest = ConversationDigest.build(sources, hits: hits, side: side)
        func cited(_ line: DigestLine) -> String { "\"\(line.text)\" [\(line.citation.text)]" }
        package.painPoints += digest.painPoints.map(cited)
        package.solutionsExplored += digest.solutionsExplored.map(cited)
        var approachTrackers = Set<String>()
        for sourceHits in hits {
            for hit in sourceHits where !approachTrackers.contains(hit.tracker) {
                guard let tracker = trackers.first(where: { $0.name == hit.tracker }), let line = tracker.line(for: hit.phrase) else { continue }
                approachTrackers.insert(hit.tracker)
                package.approach.append(line)
            }
        }
        func line(_ item: DigestLine) -> WhatWasSaid.Line { WhatWasSaid.Line(text: item.text, source: item.citation.text, note: item.note) }
        let measures = sources.filter { $0.interaction.kind.isSpoken }.map { source in
            Self.measureLine(id: source.id, kind: source.interaction.kind, CallMeasures.measure(source.interaction, side: side))
        }
        package.whatWasSaid = WhatWasSaid(
            interactions: sources.count, summary: digest.summary.map(line), nextSteps: digest.nextSteps.map(line),
            objections: digest.objections.map(line),
            trackerCounts: digest.trackerCounts.map { WhatWasSaid.TrackerCount(tracker: $0.key, count: $0.value) }
                .sorted { ($1.count, $0.tracker) < ($0.count, $1.tracker) },
            callMeasures: measures)
        package.whatWasSaid?.atAccount = atAccount
    }

    /// How many of the account's other contacts are read, and how many next steps and objections each gives.
    package static let contactsRead = 20
    package static let contactLines = 3

    /// What the other contacts of the lead's `account` said, or nil (no account, nothing captured).
    func atAccount(_ account: LeadAccount?) async throws(CaptureError) -> WhatWasSaid.AtAccount? {
        guard let account, !account.otherContacts.isEmpty else { return nil }
        var contacts: [WhatWasSaid.Contact] = []
        for other in account.otherContacts.prefix(Self.contactsRead) {
            let sources = try await interactions(leadID: other)
            guard !sources.isEmpty else { continue }
            let digest = ConversationDigest.build(sources, trackers: trackers, side: side)
            func line(_ item: DigestLine) -> WhatWasSaid.Line {
                WhatWasSaid.Line(text: item.text, source: "lead \(other), " + item.citation.text, note: item.note)
            }
            contacts.append(
                WhatWasSaid.Contact(
                    leadID: other, interactions: sources.count, nextSteps: digest.nextSteps.prefix(Self.contactLines).map(line),
                    objections: digest.objections.prefix(Self.contactLines).map(line),
                    trackerCounts: digest.trackerCounts.map { WhatWasSaid.TrackerCount(tracker: $0.key, count: $0.value) }
                        .sorted { ($1.count, $0.tracker) < ($0.count, $1.tracker) }))
        }
        guard !contacts.isEmpty else { return nil }
        return WhatWasSaid.AtAccount(
            accountID: account.account.id, accountName: account.account.displayName ?? account.account.name, contacts: contacts)
    }

    /// `interaction 3 (call): rep talk 34 % by time; longest monologue 0:24 (Dana Reyes); questions rep 2, prospect 0; 3.8 speaker switches per minute; median rep response gap 0.0 s over 5 responses`.
    package static func measureLine(id: Int64, kind: InteractionKind, _ m: CallMeasures) -> String {
        var parts: [String] = []
        if let ratio = m.repTalkRatio, let basis = m.basis {
            parts.append("rep talk \(Int((ratio * 100).rounded())) % by \(basis == .time ? "time" : "words")")  // total: ratio is in [0, 1]
        } else {
            parts.append("talk ratio not computed (no speakers on both sides)")
        }
        if let longest = m.longestMonologueMilliseconds {
            let seconds = longest / 1000
            parts.append(
                "longest monologue \(seconds / 60):\(String(format: "%02d", seconds % 60))\(m.longestMonologueSpeaker.map { " (\($0))" } ?? "")")
        }
        parts.append("questions rep \(m.repQuestions), prospect \(m.prospectQuestions)")
        if let switches = m.switchesPerMinute { parts.append(String(format: "%.1f speaker switches per minute", switches)) }
        if let gap = m.medianRepResponseGapMilliseconds {
            parts.append(String(format: "median rep response gap %.1f s over %d responses", Double(gap) / 1000, m.repResponses))
        }
        return "interaction \(id) (\(kind.rawValue)): " + parts.joined(separator: "; ")
    }
}
