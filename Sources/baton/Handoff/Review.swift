import ArgumentParser
import HandoffReviews
import Foundation
import HandoffRules
import HandoffPersistence

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Weekly SLA review and monthly pipeline review from the hand-off store, as a markdown notebook with SVG charts.",
        subcommands: [Weekly.self, Monthly.self, FunnelOnly.self])

    struct Common: ParsableArguments {
        @Option(help: "Hand-off store: an SQLite file, or postgres://user@host:port/database.") var db: String
        @Option(help: "Folder to write report.md and the charts into (replaced atomically).") var out: String
        @Option(name: .customLong("time-zone"), help: "IANA zone whose local midnights bound the period.") var timeZone = "UTC"
        @Option(name: .customLong("as-of"), help: "Ignore what happened after this instant (ISO 8601, e.g. 2025-10-13T00:00:00Z); default now.") var asOf: String?
        @Option(name: .customLong("committed-per-week"), help: "Qualified hand-offs marketing committed to deliver per week.") var committedPerWeek: Int?
        @Option(name: .customLong("fit-attribute"), help: "Lead field to test disposition patterns on (repeatable).") var fitAttributes: [String] = []
        @Option(name: .customLong("cohort-months"), help: "Earlier monthly cohorts shown in the funnel.") var cohortMonths = 6
        @Option(name: .customLong("lookback-days"), help: "Days before the period whose leads are loaded (hand-offs of older leads, matured outcomes).") var lookbackDays = 365
        @Option(help: ArgumentHelp("Hand-off playbook (YAML with routing:, reps:, sla:) whose reps' time zones, working hours and holidays measure business time, and whose sla: policies set the first-touch targets.",
                                   discussion: "Without it: 09:00–17:00 Monday–Friday in each rep's stored time zone, no holidays, targets high 1 h / standard 4 h."))
        var playbook: String?

        func zone() throws -> TimeZone {
            guard let zone = TimeZone(identifier: timeZone) else { reviewFail(AnalyticsError.unknownTimeZone(timeZone).description, code: 64) }
            return zone
        }

        func run(_ kind: ReviewRun.Kind, period: ReviewPeriod) throws {
            var asOfDate = Date()
            if let asOf {
                guard let parsed = ISO8601DateFormatter().date(from: asOf) else {
                    reviewFail("--as-of '\(asOf)' is not an ISO 8601 instant; write e.g. 2025-10-13T00:00:00Z", code: 64)
                }
                asOfDate = parsed
            }
            guard isServerStore(db) || FileManager.default.fileExists(atPath: db) else { reviewFail("\(db): store not found; check the path (review never creates a store)", code: 64) }
            guard committedPerWeek.map({ $0 >= 0 }) ?? true, cohortMonths >= 0, lookbackDays >= 0 else {
                reviewFail("--committed-per-week, --cohort-months and --lookback-days must be ≥ 0", code: 64)
            }
            var configuration = AnalyticsConfiguration()
            if let playbook {
                guard FileManager.default.isReadableFile(atPath: playbook) else {
                    reviewFail("--playbook file \(playbook) does not exist or cannot be read; check the path", code: 64)
                }
                do {
                    let yaml = try String(contentsOfFile: playbook, encoding: .utf8)
                    configuration.use(try FlowPlaybook.parse(yaml: yaml, file: playbook), name: URL(fileURLWithPath: playbook).lastPathComponent)
                } catch let error as PlaybookSectionError {
                    reviewFail(error.description, code: 65)
                } catch {
                    reviewFail("--playbook \(playbook): \(error.localizedDescription)", code: 65)
                }
            }
            configuration.committedQualifiedPerWeek = committedPerWeek
            configuration.fitAttributes = fitAttributes
            configuration.earlierCohortMonths = cohortMonths
            let store = openStore(db) { message, code in reviewFail(message, code: code) }
            let out = self.out, lookbackDays = self.lookbackDays
            let settings = configuration, asOfInstant = asOfDate
            do {
                let report = try blocking { () async throws(AnalyticsError) -> ReviewReport in
                    try await ReviewRun.run(kind: kind, store: store, period: period, asOf: asOfInstant,
                                            out: URL(fileURLWithPath: out), configuration: settings, lookbackDays: lookbackDays)
                }
                print("wrote \(out)/report.md (\(report.charts.count) charts, \(report.changes.count) change item(s))")
            } catch {
                reviewFail(error.description, code: error.isUsage ? 64 : 1)
            }
        }
    }

    struct Weekly: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "SLA review of one ISO week (e.g. --week 2025-W41).")
        @Option(help: "ISO week YYYY-Www.") var week: String
        @OptionGroup var common: Common

        func run() throws {
            let period: ReviewPeriod
            do { period = try ReviewPeriod.isoWeek(week, timeZone: try common.zone()) } catch let error as AnalyticsError { reviewFail(error.description, code: 64) }
            try common.run(.weekly, period: period)
        }
    }

    struct Monthly: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pipeline review of one month (e.g. --month 2025-10).")
        @Option(help: "Month YYYY-MM.") var month: String
        @OptionGroup var common: Common

        func run() throws {
            let period: ReviewPeriod
            do { period = try ReviewPeriod.month(month, timeZone: try common.zone()) } catch let error as AnalyticsError { reviewFail(error.description, code: 64) }
            try common.run(.monthly, period: period)
        }
    }
}

extension Review {
    struct FunnelOnly: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "funnel",
            abstract: "Funnel of every monthly cohort in the store, sales cycle and won rate by source (for imported funnels such as Olist).")
        @Option(help: "Hand-off store: an SQLite file, or postgres://user@host:port/database.") var db: String
        @Option(help: "Folder to write report.md and the charts into (replaced atomically).") var out: String
        @Option(name: .customLong("time-zone"), help: "IANA zone whose months define the cohorts.") var timeZone = "UTC"
        @Option(name: .customLong("as-of"), help: "Ignore what happened after this instant (ISO 8601); default now.") var asOf: String?

        func run() throws {
            guard let zone = TimeZone(identifier: timeZone) else { reviewFail(AnalyticsError.unknownTimeZone(timeZone).description, code: 64) }
            var instant = Date()
            if let asOf {
                guard let parsed = ISO8601DateFormatter().date(from: asOf) else { reviewFail("--as-of '\(asOf)' is not an ISO 8601 instant; write e.g. 2019-01-01T00:00:00Z", code: 64) }
                instant = parsed
            }
            guard isServerStore(db) || FileManager.default.fileExists(atPath: db) else { reviewFail("\(db): store not found; check the path", code: 64) }
            let store = openStore(db) { message, code in reviewFail(message, code: code) }
            let out = self.out, asOfInstant = instant
            do {
                let review = try blocking { () async throws(AnalyticsError) -> FunnelReview in
                    let review = try await FunnelReview.load(store: store, timeZone: zone, asOf: asOfInstant)
                    try review.write(to: URL(fileURLWithPath: out))
                    return review
                }
                print("wrote \(out)/report.md (\(review.cohorts.count) cohorts, \(review.charts.count) charts)")
            } catch {
                reviewFail(error.description, code: 1)
            }
        }
    }
}

/// Prints `message` to standard error and exits with `code` (64 usage, 65 bad data, 1 other).
func reviewFail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(code)
}

/// Runs `body` to completion from synchronous code (the root command is synchronous).
func blocking<T: Sendable, E: Error>(_ body: @escaping @Sendable () async throws(E) -> T) throws(E) -> T {
    let box = ResultBox<T, E>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do throws(E) { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    switch box.result {
    case let .success(value)?: return value
    case let .failure(error)?: throw error
    case nil: preconditionFailure("the task ended without a result")
    }
}

private final class ResultBox<T: Sendable, E: Error>: @unchecked Sendable {
    var result: Result<T, E>?
    init() {}
}
