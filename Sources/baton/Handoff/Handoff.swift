import HandoffSQLite
import ArgumentParser
import Foundation
import HandoffRules
import HandoffFlow
import HandoffPersistence

/// `baton handoff`: run event logs through the hand-off flow and look at the result.
struct HandoffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handoff",
        abstract: "Replay event logs through score, qualify, route and SLA into a store; show open hand-offs.",
        subcommands: [HandoffReplay.self, HandoffStatusCommand.self])
}

struct HandoffReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a JSONL or CSV event log with simulated time.",
        discussion: """
            Events are applied in file order, each in one transaction; SLA timers due before each event fire \
            at their own due times. A retried event id is counted once. A refused event is reported with its \
            line and reason; replay stops there (or goes on with --continue-on-error), the events accepted \
            before stay stored, and the exit code is 65. CSV columns: event_id, type, occurred_at, lead_id, \
            payload (JSON of the type-specific keys).
            """)

    @Option(help: "Event log (.jsonl, or .csv).") var events: String
    @Option(help: "Playbook YAML with qualification, routing, reps, sla and dispositions.") var playbook: String
    @Option(help: "Weight file (baton.weights/1); becomes the store's production model.") var model: String
    @Option(help: "SQLite store (created when missing).") var db: String
    @Flag(help: "Keep going after a refused event.") var continueOnError = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() throws {
        let scorer: LeadScorer
        do { scorer = try LeadScorer(contentsOf: URL(fileURLWithPath: model)) } catch { handoffFail(error.description, code: 65) }
        let book: Playbook
        do { book = try Playbook.load(url: URL(fileURLWithPath: playbook)) } catch { handoffFail(error.description, code: 65) }
        let entries: [EventLog.Entry]
        do { entries = try EventLog.read(url: URL(fileURLWithPath: events)) } catch { handoffFail(error.description, code: 65) }
        // A replay rebuilds from a file it can rerun: commits survive a crash of the process
        // (synchronous=NORMAL) without an fsync per event.
        var options = SQLiteHandoffStore.Options()
        options.durability = .normal
        let store = openStore(db, sqliteOptions: options) { message, code in handoffFail(message, code: code) }
        let engine: HandoffEngine
        do { engine = try HandoffEngine(store: store, playbook: book, scorer: scorer) } catch { handoffFail(error.description, code: 65) }
        let firstInstant = entries.compactMap { try? $0.event.get().occurredAt }.min() ?? Date()
        let continueOnError = self.continueOnError
        let outcome = blockingAwait { () async -> Result<ReplaySummary, EngineError> in
            do throws(EngineError) {
                try await engine.prepare(at: firstInstant)
                return .success(try await EventReplay.run(entries, engine: engine, continueOnError: continueOnError))
            } catch {
                return .failure(error)
            }
        }
        try? (store as? SQLiteHandoffStore)?.close()
        switch outcome {
        case .failure(let error):
            handoffFail(error.description, code: 1)
        case .success(let summary):
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                FileHandle.standardOutput.write((try? encoder.encode(summary)) ?? Data())
                print()
            } else {
                print(summary.text)
            }
            if !summary.rejected.isEmpty {
                FileHandle.standardError.write(Data("error: \(summary.rejected.count) event(s) refused; the accepted events are stored in \(db)\n".utf8))
                throw ExitCode(65)
            }
        }
    }
}

struct HandoffStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Open hand-offs per rep and their SLA state (due times, breaches).")

    @Option(help: "SQLite store written by `baton handoff replay` or the service.") var db: String
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        guard isServerStore(db) || FileManager.default.fileExists(atPath: db) else {
            handoffFail("no store at \(db). Run `baton handoff replay … --db \(db)` first.", code: 64)
        }
        let store = openStore(db) { message, code in handoffFail(message, code: code) }
        let result = blockingAwait { () async -> Result<HandoffStatus, StoreError> in
            do throws(StoreError) { return .success(try await HandoffStatus.load(from: store)) } catch { return .failure(error) }
        }
        try? (store as? SQLiteHandoffStore)?.close()
        switch result {
        case .failure(let error): handoffFail(error.description, code: 1)
        case .success(let status):
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                FileHandle.standardOutput.write((try? encoder.encode(status)) ?? Data())
                print()
            } else {
                print(status.table, terminator: "")
            }
        }
    }
}

/// Runs async work from a synchronous command (the root command is synchronous).
func blockingAwait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = AwaitBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await body()
        done.signal()
    }
    done.wait()
    guard let value = box.value else { preconditionFailure("the task always sets its value before signalling") }
    return value
}

/// The result slot of ``blockingAwait(_:)``, written once by the task before the semaphore is signalled.
private final class AwaitBox<T>: @unchecked Sendable { var value: T? }

private func handoffFail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    Foundation.exit(code)
}
