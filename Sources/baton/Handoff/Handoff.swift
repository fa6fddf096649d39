import ArgumentParser
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite

/// `baton handoff`: run event logs through the hand-off flow and look at the result.
struct HandoffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handoff",
        abstract: "Replay event logs through score, qualify, route and SLA into a store; show open hand-offs.",
        subcommands: [HandoffReplay.self, HandoffStatusCommand.self, HandoffExport.self, HandoffExplain.self])
}

struct HandoffReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a JSONL or CSV event log with simulated time.",
        discussion: """
            Events are applied in file order, each in one transaction; SLA timers due before each event fire \
            at their own due times. A retried event id is counted once. A refused event is reported with its \
            line and reason; replay stops there (or goes on with --continue-on-error), the events accepted \
            before stay stored, and the exit code is 65. CSV columns: event_id, type, occurred_at, lead_id, and the \
            type-specific keys as payload (a JSON object) or as columns of their own (rep_id, code, note, opportunity_id, \
            amount, currency, stage, close_date, reason; fields.<name> for a lead field), as a CRM report exports \
            dispositions and outcomes. An SQLite --db file is created when missing.
            """)

    @Option(help: "Event log (.jsonl, or .csv).") var events: String
    @Option(help: "Playbook YAML with qualification, routing, reps, sla and dispositions; its keys: \(Playbook.formatsReference).") var playbook:
        String
    @Option(help: "Weight file (baton.weights/1); becomes the store's production model.") var model: String
    @OptionGroup var store: StoreOptions
    @Flag(help: "Keep going after a refused event.") var continueOnError = false
    @Flag(help: "Print the summary as JSON.") var json = false
    @Flag(help: "No progress line on standard error (it is shown only on a terminal anyway).") var quiet = false

    func run() async throws {
        let scorer: LeadScorer
        do { scorer = try LeadScorer(contentsOf: URL(fileURLWithPath: model)) } catch { fail(error.description, .dataError) }
        let book: Playbook
        do { book = try Playbook.load(url: URL(fileURLWithPath: playbook)) } catch { fail(error.description, .dataError) }
        let entries: [EventLog.Entry]
        do { entries = try EventLog.read(url: URL(fileURLWithPath: events)) } catch { fail(error.description, .dataError) }
        // A replay rebuilds from a file it can rerun: commits survive a crash of the process
        // (synchronous=NORMAL) without an fsync per event.
        var options = SQLiteHandoffStore.Options()
        options.durability = .normal
        let firstInstant = entries.compactMap { try? $0.event.get().occurredAt }.min() ?? Date()
        let summary: ReplaySummary
        do throws(ReplayFailure) {
            summary = try await store.withStore(sqliteOptions: options) { handoffStore throws(ReplayFailure) in
                let engine: HandoffEngine
                do throws(EngineError) { engine = try HandoffEngine(store: handoffStore, playbook: book, scorer: scorer) } catch {
                    throw .refused(error)
                }
                do throws(EngineError) {
                    try await engine.prepare(at: firstInstant)
                    let progress = TerminalProgress(label: "replay", unit: "events", quiet: quiet)
                    defer { progress.finish() }
                    return try await EventReplay.run(entries, engine: engine, continueOnError: continueOnError) { done in
                        progress.update(done, of: entries.count)
                    }
                } catch {
                    throw .failed(error)
                }
            }
        } catch {
            switch error {
            case .refused(let error): fail(error.description, .dataError)
            case .failed(let error): fail(error.description, .failure)
            }
        }
        if json {
            printPrettyJSON(summary)
        } else {
            print(summary.text)
        }
        if !summary.rejected.isEmpty {
            fail("\(summary.rejected.count) event(s) refused; the accepted events are stored in \(store.db)", .dataError)
        }
    }
}

/// Why a replay stopped: the engine refused the playbook or model for this store (bad data), or
/// the replay itself failed.
private enum ReplayFailure: Error {
    case refused(EngineError)
    case failed(EngineError)
}

struct HandoffStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Open hand-offs per rep and their SLA state (due times, breaches).")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        store.requireExisting("no store at \(store.db). Run `baton handoff replay … --db \(store.db)` first.")
        let status: HandoffStatus
        do throws(StoreError) {
            status = try await store.withStore { handoffStore throws(StoreError) in try await HandoffStatus.load(from: handoffStore) }
        } catch {
            fail(error.description, .failure)
        }
        if json {
            printPrettyJSON(status)
        } else {
            print(status.table, terminator: "")
        }
    }
}
