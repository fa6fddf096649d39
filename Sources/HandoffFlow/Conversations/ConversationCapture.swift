import BatonSupport
import Conversations
import Foundation
import HandoffPersistence
import HandoffRules
import ScoringModelFormat

/// Captures interactions for leads and reads back what was said: the one path from a parsed
/// e-mail, transcript, chat or note to the store, used by `baton conversations import` and
/// `POST /leads/{id}/interactions`.
///
/// - **Which lead**: the one given, else (e-mail) the lead whose `email` field equals one of the
///   message's `From:`, `To:` or `Cc:` addresses that is not a rep's (playbook `reps[].email`); no
///   such lead, or several, is an error and nothing is stored.
/// - **Idempotent**: the store keeps one interaction per lead and SHA-256 of its canonical content
///   (kind, time, subject, addresses, utterances; not the warnings), so importing a mailbox twice,
///   or one message as `.eml` and inside an mbox, stores it once.
/// - **Sides**: a speaker whose name, id or e-mail (ignoring case) is a playbook rep's, or who is
///   listed in `extraReps`, is on the rep side; everyone else on the prospect side.
package struct ConversationCapture: Sendable {
    package let store: any HandoffStore
    package let trackers: [Tracker]
    private let repKeys: Set<String>
    private let repAddresses: Set<String>

    package init(store: any HandoffStore, trackers: [Tracker], reps: [Rep], extraReps: [String] = []) {
        self.store = store
        self.trackers = trackers
        repAddresses = Set(reps.map { $0.email.lowercased() }.filter { !$0.isEmpty })
        repKeys = Set(reps.flatMap { [$0.id.lowercased(), $0.name.lowercased(), $0.email.lowercased()] } + extraReps.map { $0.lowercased() })
            .subtracting([""])
    }

    /// The side of a speaker (see the type's documentation).
    package func side(_ speaker: String) -> ConversationSide? {
        repKeys.contains(speaker.trimmingCharacters(in: .whitespaces).lowercased()) ? .rep : .prospect
    }

    /// The leads an interaction belongs to: the one given; else, for an e-mail, the lead its
    /// addresses name, or every lead they name when those leads are contacts of one account (a
    /// thread with several people of one company is captured for each of them); leads of several
    /// accounts, or without one, are ambiguous (name one with the lead).
    package func leads(for interaction: CapturedInteraction, given leadID: String?, source: String) async throws(CaptureError) -> [String] {
        do {
            return [try await lead(for: interaction, given: leadID, source: source)]
        } catch .ambiguousLead(let source, let ids) {
            var accounts = Set<String>()
            for id in ids {
                let account: String?
                do { account = try await store.linkedAccountID(leadID: id) } catch { throw .store(error) }
                guard let account else { throw .ambiguousLead(source: source, leadIDs: ids) }
                accounts.insert(account)
            }
            guard accounts.count == 1 else { throw .ambiguousLead(source: source, leadIDs: ids) }
            return ids
        }
    }

    /// The lead an interaction belongs to.
    package func lead(for interaction: CapturedInteraction, given leadID: String?, source: String) async throws(CaptureError) -> String {
        do {
            if let leadID {
                guard try await store.lead(id: leadID) != nil else { throw CaptureError.leadNotStored(source: source, leadID: leadID) }
                return leadID
            }
            let addresses = (interaction.from + interaction.to).filter { !repAddresses.contains($0) }
            guard !addresses.isEmpty else {
                if interaction.kind == .email { throw CaptureError.unknownLead(source: source, addresses: interaction.from + interaction.to) }
                throw CaptureError.noLeadGiven(source: source)
            }
            var found: [String] = []
            for address in addresses {
                for id in try await store.leadIDs(email: address) where !found.contains(id) { found.append(id) }
            }
            if found.count > 1 { throw CaptureError.ambiguousLead(source: source, leadIDs: found) }
            guard let id = found.first else { throw CaptureError.unknownLead(source: source, addresses: addresses) }
            return id
        } catch let error as CaptureError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(.database(operation: "finding the lead of \(source)", message: "\(error)"))
        }
    }

    /// What was stored: the interaction's id and tracker hits, or that the lead already had it.
    package enum Outcome: Sendable, Equatable {
        case stored(id: Int64, hits: Int)
        case duplicate
    }

    /// The records one capture writes (pure: no store access), for tests and dry runs.
    package func records(
        _ interaction: CapturedInteraction, leadID: String, source: String, recordedAt: Date
    ) throws(CaptureError) -> (InteractionRecord, [TrackerHitRecord]) {
        guard !interaction.utterances.isEmpty else {
            throw .unreadable(ConversationError(source: source, "holds no text to capture (after quotes and signatures are stripped)"))
        }
        var canonical = interaction
        canonical.warnings = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let hashed = try? encoder.encode(canonical), let stored = try? encoder.encode(interaction) else {
            throw .unreadable(ConversationError(source: source, "the interaction could not be encoded"))
        }
        let record = InteractionRecord(
            leadID: leadID, kind: interaction.kind.rawValue, occurredAt: interaction.occurredAt.map(Date.init(timeIntervalSince1970:)),
            recordedAt: recordedAt, source: String(source.prefix(1000)), subject: interaction.subject.map { String($0.prefix(1000)) },
            contentSHA256: Checksum.hash(Array(hashed)).hex, content: JSONText(trusted: String(decoding: stored, as: UTF8.self)))
        let hits = TrackerMatcher.hits(in: interaction, trackers: trackers).map {
            TrackerHitRecord(
                leadID: leadID, tracker: $0.tracker, category: $0.category, phrase: $0.phrase, quote: String($0.quote.prefix(2000)),
                speaker: $0.speaker,
                startMilliseconds: $0.startMilliseconds, line: $0.line)
        }
        return (record, hits)
    }

    /// Stores `interaction` for `leadID` with its tracker hits, once.
    package func capture(_ interaction: CapturedInteraction, leadID: String, source: String, at now: Date) async throws(CaptureError) -> Outcome {
        let (record, hits) = try records(interaction, leadID: leadID, source: source, recordedAt: now)
        return try await store(record, hits: hits)
    }

    /// ``capture(_:leadID:source:at:)`` and ``mentionEvents(_:leadID:source:recordedAt:)`` from
    /// one reading of the interaction (the trackers and the content hash run once).
    package func captureWithMentions(
        _ interaction: CapturedInteraction, leadID: String, source: String, at now: Date
    ) async throws(CaptureError) -> (outcome: Outcome, mentions: [InboundEvent]) {
        let (record, hits) = try records(interaction, leadID: leadID, source: source, recordedAt: now)
        let outcome = try await store(record, hits: hits)
        return (outcome, try await mentions(record, hits: hits))
    }

    func store(_ record: InteractionRecord, hits: [TrackerHitRecord]) async throws(CaptureError) -> Outcome {
        do {
            switch try await store.storeInteraction(record, hits: hits) {
            case .stored(let id?): return .stored(id: id, hits: hits.count)
            default: return .duplicate
            }
        } catch {
            throw .store(error)
        }
    }

    /// The tracker-mention engagements of `interaction` for `leadID` (``TrackerMentions``): the
    /// same whether or not it is stored already, so a caller applies them after every capture and
    /// the engine's idempotency keeps each once.
    /// An interaction with no time of its own counts from when it was first stored (read back,
    /// so a second capture names the same instant).
    package func mentionEvents(
        _ interaction: CapturedInteraction, leadID: String, source: String, recordedAt: Date
    ) async throws(CaptureError) -> [InboundEvent] {
        let (record, hits) = try records(interaction, leadID: leadID, source: source, recordedAt: recordedAt)
        return try await mentions(record, hits: hits)
    }

    func mentions(_ record: InteractionRecord, hits: [TrackerHitRecord]) async throws(CaptureError) -> [InboundEvent] {
        guard !hits.isEmpty else { return [] }
        var record = record
        if record.occurredAt == nil {
            let stored: [InteractionRecord]
            do { stored = try await store.interactions(leadID: record.leadID) } catch { throw .store(error) }
            if let first = stored.first(where: { $0.contentSHA256 == record.contentSHA256 }) { record.recordedAt = first.recordedAt }
        }
        return TrackerMentions.events(record, hits: hits)
    }

    /// The lead's interactions decoded, oldest first.
    package func interactions(leadID: String) async throws(CaptureError) -> [ConversationDigest.Source] {
        let records: [InteractionRecord]
        do { records = try await store.interactions(leadID: leadID) } catch { throw .store(error) }
        return Self.sources(records)
    }

    /// Stored interactions decoded (a record whose content does not decode is left out).
    package static func sources(_ records: [InteractionRecord]) -> [ConversationDigest.Source] {
        let decoder = JSONDecoder()
        return records.compactMap { record in
            guard let id = record.rowID, let interaction = try? decoder.decode(CapturedInteraction.self, from: Data(record.content.text.utf8)) else {
                return nil
            }
            return ConversationDigest.Source(id: id, interaction: interaction)
        }
    }

    /// The digest of everything captured for the lead; nil when nothing was.
    package func digest(leadID: String) async throws(CaptureError) -> (ConversationDigest, [ConversationDigest.Source])? {
        let sources = try await interactions(leadID: leadID)
        guard !sources.isEmpty else { return nil }
        return (ConversationDigest.build(sources, trackers: trackers, side: side), sources)
    }
}
