import ArgumentParser
import Foundation
import HandoffPersistence
import HandoffReviews
import HandoffRules

struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract:
            "Weekly SLA review, monthly pipeline review and the review of any period from the hand-off store, as a markdown notebook with SVG charts.",
        subcommands: [Weekly.self, Monthly.self, PeriodReview.self, FunnelOnly.self])

    struct Common: ParsableArguments {
        @OptionGroup var store: StoreOptions
        @Option(help: "Folder to write report.md and the charts into (replaced atomically).") var out: String
        @Option(name: .customLong("time-zone"), help: "IANA zone whose local midnights bound the period.") var timeZone = "UTC"
        @Option(name: .customLong("as-of"), help: "Ignore what happened after this instant (ISO 8601, e.g. 2025-10-13T00:00:00Z); default now.")
        var asOf: String?
        @Option(name: .customLong("committed-per-week"), help: "Qualified hand-offs marketing committed to deliver per week.") var committedPerWeek:
            Int?
        @Option(name: .customLong("fit-attribute"), help: "Lead field to test disposition patterns on (repeatable).") var fitAttributes: [String] = []
        @Option(name: .customLong("cohort-months"), help: "Earlier monthly cohorts shown in the funnel.") var cohortMonths = 6
        @Option(
            name: .customLong("lookback-days"), help: "Days before the period whose leads are loaded (hand-offs of older leads, matured outcomes).")
        var lookbackDays = 365
        @Option(
            help: ArgumentHelp(
                "Hand-off playbook (YAML with routing:, reps:, sla:) whose reps' time zones, working hours and holidays measure business time, and whose sla: policies set the first-touch targets.",
                discussion: "Without it: 09:00–17:00 Monday–Friday in each rep's stored time zone, no holidays, targets high 1 h / standard 4 h."))
        var playbook: String?

        func zone() -> TimeZone {
            guard let zone = TimeZone(identifier: timeZone) else { fail(AnalyticsError.unknownTimeZone(timeZone)) }
            return zone
        }

        func run(_ kind: ReviewRun.Kind, period: ReviewPeriod) async {
            var asOfDate = Date()
            if let asOf {
                guard let parsed = ISO8601DateFormatter().date(from: asOf) else {
                    fail("--as-of '\(asOf)' is not an ISO 8601 instant; write e.g. 2025-10-13T00:00:00Z", .usage)
                }
                asOfDate = parsed
            }
            store.requireExisting("\(store.db): store not found; check the path (review never creates a store)")
            guard committedPerWeek.map({ $0 >= 0 }) ?? true, cohortMonths >= 0, lookbackDays >= 0 else {
                fail("--committed-per-week, --cohort-months and --lookback-days must be ≥ 0", .usage)
            }
            var configuration = AnalyticsConfiguration()
            if let playbook {
                guard FileManager.default.isReadableFile(atPath: playbook) else {
                    fail("--playbook file \(playbook) does not exist or cannot be read; check the path", .usage)
                }
                do throws(PlaybookError) {
                    let url = URL(fileURLWithPath: playbook)
                    configuration.use(try Playbook.load(url: url).requireFlow(), name: url.lastPathComponent)
                } catch {
                    fail(error)
                }
            }
            configuration.committedQualifiedPerWeek = committedPerWeek
            configuration.fitAttributes = fitAttributes
            configuration.earlierCohortMonths = cohortMonths
            do throws(AnalyticsError) {
                let report = try await store.withStore { handoffStore throws(AnalyticsError) in
                    try await ReviewRun.run(
                        kind: kind, store: handoffStore, period: period, asOf: asOfDate,
                        out: URL(fileURLWithPath: out), configuration: configuration, lookbackDays: lookbackDays)
                }
                print("wrote \(out)/report.md (\(report.charts.count) charts, \(report.changes.count) change item(s))")
            } catch {
                fail(error)
            }
        }
    }

    struct Weekly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "weekly", abstract: "SLA review of one ISO week (e.g. --week 2025-W41).")
        @Option(help: "ISO week YYYY-Www.") var week: String
        @OptionGroup var common: Common

        func run() async throws {
            let period: ReviewPeriod
            do { period = try ReviewPeriod.isoWeek(week, timeZone: common.zone()) } catch { fail(error.description, .usage) }
            await common.run(.weekly, period: period)
        }
    }

    struct Monthly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "monthly", abstract: "Pipeline review of one month (e.g. --month 2025-10).")
        @Option(help: "Month YYYY-MM.") var month: String
        @OptionGroup var common: Common

        func run() async throws {
            let period: ReviewPeriod
            do { period = try ReviewPeriod.month(month, timeZone: common.zone()) } catch { fail(error.description, .usage) }
            await common.run(.monthly, period: period)
        }
    }
}

extension Review {
    struct PeriodReview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "period",
            abstract: "Pipeline review of any run of whole days, e.g. a quarter (--from 2023-01-01 --to 2023-03-31).",
            discussion: """
                The same measures as the monthly review over a longer (or shorter) period, so the disposition \
                tests get the counts they need (every expected count ≥ 1, at most 20 % below 5); where a grouping \
                is still not tested, the report says how many dispositioned hand-offs it would take. \
                --from is the first day and --to the last day reviewed, both included, each from local \
                midnight in --time-zone.
                """)
        @Option(help: "First day reviewed, YYYY-MM-DD (from 00:00 local time in --time-zone).") var from: String
        @Option(help: "Last day reviewed, YYYY-MM-DD, included (to 24:00 local time in --time-zone).") var to: String
        @OptionGroup var common: Common

        func run() async throws {
            let period: ReviewPeriod
            do { period = try ReviewPeriod.days(from: from, to: to, timeZone: common.zone()) } catch { fail(error.description, .usage) }
            await common.run(.period, period: period)
        }
    }

    struct FunnelOnly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "funnel",
            abstract: "Funnel of every monthly cohort in the store, sales cycle and won rate by source (for imported funnels such as Olist).")
        @OptionGroup var store: StoreOptions
        @Option(help: "Folder to write report.md and the charts into (replaced atomically).") var out: String
        @Option(name: .customLong("time-zone"), help: "IANA zone whose months define the cohorts.") var timeZone = "UTC"
        @Option(name: .customLong("as-of"), help: "Ignore what happened after this instant (ISO 8601); default now.") var asOf: String?

        func run() async throws {
            guard let zone = TimeZone(identifier: timeZone) else { fail(AnalyticsError.unknownTimeZone(timeZone)) }
            var instant = Date()
            if let asOf {
                guard let parsed = ISO8601DateFormatter().date(from: asOf) else {
                    fail("--as-of '\(asOf)' is not an ISO 8601 instant; write e.g. 2019-01-01T00:00:00Z", .usage)
                }
                instant = parsed
            }
            store.requireExisting("\(store.db): store not found; check the path")
            do throws(AnalyticsError) {
                let review = try await store.withStore { handoffStore throws(AnalyticsError) in
                    try await FunnelReview.load(store: handoffStore, timeZone: zone, asOf: instant)
                }
                try review.write(to: URL(fileURLWithPath: out))
                print("wrote \(out)/report.md (\(review.cohorts.count) cohorts, \(review.charts.count) charts)")
            } catch {
                fail(error.description, .failure)
            }
        }
    }
}
