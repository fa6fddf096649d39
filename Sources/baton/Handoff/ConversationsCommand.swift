import ArgumentParser
import Conversations
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffServer

/// `baton conversations import|digest`: captured e-mails, transcripts, chats and notes per lead.
struct ConversationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversations",
        abstract: "Capture e-mails, call transcripts, chats and notes per lead, and read what was said.",
        subcommands: [Import.self, Digest.self])

    /// The capture settings both subcommands share: the playbook (trackers, reps) and extra rep names.
    struct CaptureOptions: ParsableArguments {
        @Option(help: "Playbook YAML: its `trackers:` are matched and its `reps:` name the rep side.") var playbook: String?
        @Option(name: .customLong("rep"), help: "A speaker on the rep side besides the playbook's reps (repeatable).") var reps: [String] = []

        func capture(store: any HandoffStore) -> ConversationCapture { loaded(store: store).capture }

        /// The capture and the playbook it was read from (nil without `--playbook`).
        func loaded(store: any HandoffStore) -> (capture: ConversationCapture, playbook: Playbook?) {
            guard let playbook else { return (ConversationCapture(store: store, trackers: [], reps: [], extraReps: reps), nil) }
            guard FileManager.default.fileExists(atPath: playbook) else { fail("--playbook \(playbook) does not exist", .usage) }
            let url = URL(fileURLWithPath: playbook)
            do throws(PlaybookError) {
                let loaded = try Playbook.load(url: url)
                let roster = (try? loaded.requireFlow())?.roster.reps ?? []
                return (ConversationCapture(store: store, trackers: loaded.trackers, reps: roster, extraReps: reps), loaded)
            } catch {
                fail(error)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Store e-mails (.eml, mbox), WebVTT or 'Speaker: text' transcripts, chat logs and notes for their leads.",
            discussion: """
                An e-mail goes to the lead whose `email` field is one of its From/To/Cc addresses (a rep's \
                address does not count), to every such lead when they are contacts of one account, or to --lead. Every file is read and every lead found before \
                anything is stored: an unreadable file or an unknown lead stores nothing (exit 65). Each \
                interaction is stored once per lead and content, so a second import changes nothing. \
                With --playbook and a store that has a production model (after `baton serve` or `baton \
                handoff replay`), each tracker an interaction mentions is also applied as an engagement \
                `<tracker>_mention` at the interaction's time, rescoring the lead (once per interaction \
                and tracker, however often the import runs).
                """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var options: CaptureOptions
        @Option(help: "The lead every file belongs to (needed for transcripts, chats and notes).") var lead: String?
        @Option(help: "What a non-e-mail file records: call, meeting, chat or note (default call).") var kind: InteractionKind?
        @Option(help: "Who wrote a note (its speaker).") var author: String?
        @Argument(help: "Files: .eml, .mbox, .vtt, or text (Speaker: text lines).") var paths: [String]

        func validate() throws {
            guard !paths.isEmpty else { throw ValidationError("give at least one file to import") }
            if kind == .email { throw ValidationError("--kind email is not needed: .eml and mbox files are read as e-mail") }
        }

        func run() async {
            for path in paths where !FileManager.default.fileExists(atPath: path) { fail("\(path) does not exist", .usage) }
            let urls = paths.map { URL(fileURLWithPath: $0) }
            let now = Date()
            let (stored, duplicates, hits, leads, warnings, mentions) = await store.withStore { store in
                let (capture, playbook) = options.loaded(store: store)
                var warnings: [String] = []
                let engine = await Self.engine(store: store, playbook: playbook, warnings: &warnings)
                // Pass 1: read everything and find every lead; nothing is stored when anything fails.
                var problems: [String] = []
                var count = 0
                for url in urls {
                    do {
                        try await Self.each(url, kind: kind, author: author) { interaction, line in
                            count += 1
                            let source = Self.source(url, line: line, isMailbox: InteractionFile.format(of: url) == .mailbox)
                            warnings += interaction.warnings.map { "\(source): \($0)" }
                            do throws(CaptureError) {
                                for leadID in try await capture.leads(for: interaction, given: lead, source: source) {
                                    _ = try capture.records(interaction, leadID: leadID, source: source, recordedAt: now)
                                }
                            } catch {
                                if case .store(let storeError) = error { fail(storeError) }
                                problems.append(error.description)
                            }
                        }
                    } catch let error as ConversationError {
                        problems.append(error.description)
                    } catch {
                        problems.append("\(url.path): \(error)")
                    }
                    if problems.count >= 20 { break }
                }
                if !problems.isEmpty {
                    let more = problems.count >= 20 ? "\n(stopped after 20 problems)" : ""
                    fail(problems.joined(separator: "\n") + more + "\nnothing was stored", .dataError)
                }
                // Pass 2: store, one interaction per transaction (a rerun after a crash skips what is stored).
                var stored = 0
                var duplicates = 0
                var hits = 0
                var mentions = (applied: 0, duplicates: 0, counted: engine != nil)
                var leads = Set<String>()
                for url in urls {
                    do {
                        try await Self.each(url, kind: kind, author: author) { interaction, line in
                            let source = Self.source(url, line: line, isMailbox: InteractionFile.format(of: url) == .mailbox)
                            do throws(CaptureError) {
                                for leadID in try await capture.leads(for: interaction, given: lead, source: source) {
                                    leads.insert(leadID)
                                    let (outcome, mentionEvents) = try await capture.captureWithMentions(
                                        interaction, leadID: leadID, source: source, at: now)
                                    switch outcome {
                                    case .stored(_, let found):
                                        stored += 1
                                        hits += found
                                    case .duplicate: duplicates += 1
                                    }
                                    if let engine {
                                        for event in mentionEvents {
                                            do throws(EngineError) {
                                                switch try await engine.apply(event).status {
                                                case .applied: mentions.applied += 1
                                                case .duplicate: mentions.duplicates += 1
                                                }
                                            } catch {
                                                if case .store(_, let storeError) = error { fail(storeError) }
                                                warnings.append("\(source): tracker mention not applied: \(error.description)")
                                            }
                                        }
                                    }
                                }
                            } catch {
                                if case .store(let storeError) = error { fail(storeError) }
                                fail(error.description, .dataError)
                            }
                        }
                    } catch {
                        fail("\(error) (the file changed during the import; \(stored) interaction(s) were stored, rerun to finish)", .dataError)
                    }
                }
                _ = count
                return (stored, duplicates, hits, leads.count, warnings, mentions)
            }
            for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            print("stored \(stored) interaction(s) for \(leads) lead(s) with \(hits) tracker hit(s); \(duplicates) already stored")
            if mentions.counted {
                print("applied \(mentions.applied) tracker mention(s) as engagement; \(mentions.duplicates) applied before")
            }
        }

        /// The flow with the store's production model, to apply tracker mentions through; nil (with
        /// a warning when it could have been) without a playbook with a flow, or a production model.
        static func engine(store: any HandoffStore, playbook: Playbook?, warnings: inout [String]) async -> HandoffEngine? {
            guard let playbook, !playbook.trackers.isEmpty else { return nil }
            let production: RegisteredModel?
            do { production = try await store.productionModel() } catch { fail(error) }
            guard let production else {
                warnings.append("the store has no production model yet: tracker mentions are stored, not applied as engagement")
                return nil
            }
            do {
                return try await ModelRuntime.engine(for: production.upload.sha256, store: store, playbook: playbook, knownFields: [])
            } catch {
                warnings.append("tracker mentions are stored, not applied as engagement: \(error)")
                return nil
            }
        }

        /// `inbox.mbox:1234` for a mailbox message (its header line), else the path.
        static func source(_ url: URL, line: Int, isMailbox: Bool) -> String {
            isMailbox ? "\(url.lastPathComponent):\(line)" : url.lastPathComponent
        }

        /// Reads `url` and calls `body` per interaction (async: the store is asked per message).
        ///
        /// The reader is synchronous and runs on a Dispatch thread; it hands over 64 interactions at
        /// a time and waits until they are processed, so a mailbox of any size is never held whole.
        static func each(
            _ url: URL, kind: InteractionKind?, author: String?, _ body: (CapturedInteraction, Int) async throws -> Void
        ) async throws {
            let handOver = HandOver()
            let stream = AsyncThrowingStream<[(CapturedInteraction, Int)], any Error> { continuation in
                DispatchQueue.global().async {
                    var batch: [(CapturedInteraction, Int)] = []
                    do {
                        try InteractionFile.read(url, kind: kind, author: author) { interaction, line in
                            batch.append((interaction, line))
                            if batch.count == 64 {
                                continuation.yield(batch)
                                batch = []
                                try handOver.waitForConsumer()
                            }
                        }
                        if !batch.isEmpty { continuation.yield(batch) }
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
            }
            defer { handOver.stop() }
            for try await chunk in stream {
                for (interaction, line) in chunk { try await body(interaction, line) }
                handOver.consumed()
            }
        }
    }

    struct Digest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "digest",
            abstract: "Print what was said with a lead: summary, next steps, pain points, solutions, objections, call measures, each cited.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var options: CaptureOptions
        @Option(help: "The lead.") var lead: String
        @Flag(help: "One JSON object instead of text.") var json = false

        func run() async {
            store.requireExisting("--db \(store.db) does not exist")
            let output = await store.withStore { store in
                let capture = options.capture(store: store)
                do throws(CaptureError) {
                    guard let (digest, sources) = try await capture.digest(leadID: lead) else {
                        fail("lead '\(lead)' has no captured interaction; import some with `baton conversations import`", .dataError)
                    }
                    let measures = sources.filter { $0.interaction.kind.isSpoken }.map {
                        ConversationCapture.measureLine(
                            id: $0.id, kind: $0.interaction.kind, CallMeasures.measure($0.interaction, side: capture.side))
                    }
                    if json {
                        struct Output: Encodable {
                            var interactions: Int
                            var digest: ConversationDigest
                            var callMeasures: [String]
                            enum CodingKeys: String, CodingKey {
                                case interactions, digest
                                case callMeasures = "call_measures"
                            }
                        }
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                        let data = (try? encoder.encode(Output(interactions: sources.count, digest: digest, callMeasures: measures))) ?? Data()
                        return String(decoding: data, as: UTF8.self)
                    }
                    return Self.text(digest, interactions: sources.count, measures: measures)
                } catch {
                    if case .store(let storeError) = error { fail(storeError) }
                    fail(error.description, .dataError)
                }
            }
            print(output)
        }

        static func text(_ digest: ConversationDigest, interactions: Int, measures: [String]) -> String {
            var lines = ["What was said (\(interactions) interaction(s))"]
            func section(_ title: String, _ items: [DigestLine]) {
                lines.append("")
                lines.append("\(title):")
                if items.isEmpty { lines.append("  none found") }
                for item in items { lines.append("  - \"\(item.text)\" [\(item.citation.text)]\(item.note.map { " (\($0))" } ?? "")") }
            }
            section("Summary", digest.summary)
            section("Next steps", digest.nextSteps)
            section("Pain points", digest.painPoints)
            section("Solutions explored", digest.solutionsExplored)
            section("Objections", digest.objections)
            if !measures.isEmpty {
                lines.append("")
                lines.append("Call measures:")
                lines += measures.map { "  - \($0)" }
            }
            let counts = digest.trackerCounts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
            lines.append("")
            lines.append("Tracker hits: \(counts.isEmpty ? "none" : counts.joined(separator: ", "))")
            return lines.joined(separator: "\n")
        }
    }
}

extension InteractionKind: ExpressibleByArgument {}

/// Back-pressure between the synchronous file reader (producer thread) and the async importer:
/// the reader waits after each batch until the importer has processed it, or stops when the
/// importer gave up.
final class HandOver: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false

    struct Stopped: Error {}

    func waitForConsumer() throws {
        semaphore.wait()
        if lock.withLock({ stopped }) { throw Stopped() }
    }

    func consumed() { semaphore.signal() }

    func stop() {
        lock.withLock { stopped = true }
        semaphore.signal()
    }
}
