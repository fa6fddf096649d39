import Foundation
import TestSupport
import Testing

/// The closed-loop demo end to end through the CLI: `baton generate --events` (simulator) →
/// `baton handoff replay` into a fresh store → the store equals the simulator's truth → `baton
/// review weekly`, `baton review monthly` and `baton review period` report the truth's numbers for
/// the busiest week, the busiest month and all months (hand-offs, per-priority counts, SLA
/// compliance per policy, dispositions by code, won).
@Suite(.serialized) struct ClosedLoopDemoTests {
    static let datasets = SharedData.projectRoot.appendingPathComponent("Datasets")
    static let playbook = datasets.appendingPathComponent("playbook.yaml").path
    static let asOf = "2030-01-01T00:00:00Z"

    struct Demo {
        let dir: URL
        let model: URL
        let events: URL
        let truth: [String: Any]
        let db: URL
    }

    /// Fits the bundled model, simulates 120 leads created over one quarter and replays them.
    static func demo() async throws -> Demo {
        let dir = try CLI.scratch()
        let model = dir.appendingPathComponent("model.json")
        let fit = try await CLI.run([
            "fit", "--data", datasets.appendingPathComponent("leads_train.csv").path,
            "--spec", datasets.appendingPathComponent("leads.spec.yaml").path, "--out", model.path,
        ])
        #expect(fit.exitCode == 0, "\(fit.stderr)")
        let events = dir.appendingPathComponent("events.jsonl")
        let gen = try await CLI.run([
            "generate", "--rows", "120", "--seed", "31", "--quarters", "1", "--events", events.path,
            "--model", model.path, "--playbook", playbook,
        ])
        #expect(gen.exitCode == 0, "\(gen.stderr)")
        #expect(!gen.stderr.contains("simulate:") && !gen.stderr.contains("\r"), "no progress line when stderr is not a terminal: \(gen.stderr)")
        let truth = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("events.truth.json"))) as? [String: Any])
        let db = dir.appendingPathComponent("store.sqlite")
        let replay = try await CLI.run([
            "handoff", "replay", "--events", events.path, "--playbook", playbook, "--model", model.path,
            "--db", db.path, "--json",
        ])
        #expect(replay.exitCode == 0, "\(replay.stderr)")
        #expect(!replay.stderr.contains("replay:"), "no progress line when stderr is not a terminal: \(replay.stderr)")
        // The replay does exactly what the simulator's engine did.
        #expect(NSDictionary(dictionary: try replay.json()).isEqual(to: truth["replay"] as? [String: Any] ?? [:]))
        return Demo(dir: dir, model: model, events: events, truth: truth, db: db)
    }

    @Test func simulateReplayReview() async throws {
        let demo = try await Self.demo()
        let truth = demo.truth

        // Same seed, same bytes (log and truth).
        let again = demo.dir.appendingPathComponent("again.jsonl")
        let gen = try await CLI.run([
            "generate", "--rows", "120", "--seed", "31", "--quarters", "1", "--events", again.path,
            "--model", demo.model.path, "--playbook", Self.playbook,
        ])
        #expect(gen.exitCode == 0)
        #expect(try Data(contentsOf: demo.events) == Data(contentsOf: again))
        #expect(
            try Data(contentsOf: demo.dir.appendingPathComponent("events.truth.json"))
                == Data(contentsOf: demo.dir.appendingPathComponent("again.truth.json")))

        // The store's rows, read independently with sqlite3.
        func count(_ sql: String) throws -> Int {
            Int(try Shell.run("/usr/bin/sqlite3", [demo.db.path, sql]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        #expect(try count("SELECT count(*) FROM leads") == 120)
        #expect(try count("SELECT count(*) FROM engagement_events") == truth["events"] as? Int)
        #expect(try count("SELECT count(*) FROM contact_attempts") == truth["contact_attempts"] as? Int)
        #expect(try count("SELECT count(*) FROM outcomes WHERE result = 'won'") == truth["won"] as? Int)
        #expect(try count("SELECT count(DISTINCT lead_id) FROM assignments") == truth["leads_handed_off"] as? Int)
        let byPriority = truth["handoffs_by_priority"] as? [String: Int] ?? [:]
        #expect(try count("SELECT count(*) FROM assignments WHERE rep_id IS NOT NULL") == byPriority.values.reduce(0, +))
        for (code, n) in truth["dispositions_by_code"] as? [String: Int] ?? [:] {
            #expect(try count("SELECT count(*) FROM dispositions WHERE code = '\(code)'") == n, "\(code)")
        }
        // The sales side reacted: first touches mostly within the SLA, some breached.
        let touches = truth["first_touches"] as? [String: [String: Int]] ?? [:]
        let within = touches.values.map { $0["within_sla"] ?? 0 }.reduce(0, +), late = touches.values.map { $0["late"] ?? 0 }.reduce(0, +)
        #expect(within > late && late > 0, "within \(within), late \(late)")

        // Weekly review of the busiest week.
        let weeks = truth["weeks"] as? [String: [String: Any]] ?? [:]
        let week = try #require(weeks.max { ($0.value["handoffs"] as? Int ?? 0, $1.key) < ($1.value["handoffs"] as? Int ?? 0, $0.key) })
        #expect((week.value["handoffs"] as? Int ?? 0) >= 3)
        let weekly = demo.dir.appendingPathComponent("weekly")
        let w = try await CLI.run(["review", "weekly", "--db", demo.db.path, "--week", week.key, "--out", weekly.path, "--as-of", Self.asOf])
        #expect(w.exitCode == 0, "\(w.stderr)")
        try Self.check(report: String(contentsOf: weekly.appendingPathComponent("report.md"), encoding: .utf8), against: week.value, period: week.key)

        // Monthly review of the busiest month, with its cohort's wins and revenue.
        let months = truth["months"] as? [String: [String: Any]] ?? [:]
        let month = try #require(months.max { ($0.value["handoffs"] as? Int ?? 0, $1.key) < ($1.value["handoffs"] as? Int ?? 0, $0.key) })
        let monthly = demo.dir.appendingPathComponent("monthly")
        let m = try await CLI.run(["review", "monthly", "--db", demo.db.path, "--month", month.key, "--out", monthly.path, "--as-of", Self.asOf])
        #expect(m.exitCode == 0, "\(m.stderr)")
        let report = try String(contentsOf: monthly.appendingPathComponent("report.md"), encoding: .utf8)
        try Self.check(report: report, against: month.value, period: month.key)
        let cohort = try #require(Self.section(report, from: "Cohort \(month.key):", to: "MQL → won median"))
        #expect(Self.row(cohort, "won")?[1] == "\(month.value["cohort_won"] as? Int ?? -1)")
        let revenue = month.value["cohort_won_minor_units"] as? [String: Int] ?? [:]
        for (currency, minor) in revenue {
            #expect(report.contains("\(currency) \(minor / 100).\(String(format: "%02d", minor % 100))"), "\(currency) \(minor)")
        }
        #expect(report.contains("from \(month.value["cohort_won"] as? Int ?? -1) won deal(s)"))

        // One review over every month of hand-offs (`review period`, --to included) reports the months' sums.
        let keys = months.keys.sorted()
        let first = try #require(keys.first), last = try #require(keys.last)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = try #require(TimeZone(identifier: "UTC"))
        let lastParts = last.split(separator: "-").compactMap { Int($0) }
        let lastMonth = try #require(utc.date(from: DateComponents(year: lastParts.first, month: lastParts.last, day: 1)))
        let to = "\(last)-\(String(format: "%02d", try #require(utc.range(of: .day, in: .month, for: lastMonth)).count))"
        var handoffs = 0
        var priorities: [String: Int] = [:], codes: [String: Int] = [:], sla: [String: [String: Int]] = [:]
        for m in months.values {
            handoffs += m["handoffs"] as? Int ?? 0
            for (k, n) in m["handoffs_by_priority"] as? [String: Int] ?? [:] { priorities[k, default: 0] += n }
            for (k, n) in m["dispositions_by_code"] as? [String: Int] ?? [:] { codes[k, default: 0] += n }
            for (policy, c) in m["sla"] as? [String: [String: Int]] ?? [:] {
                for (k, n) in c { sla[policy, default: [:]][k, default: 0] += n }
            }
        }
        #expect(handoffs == truth["leads_handed_off"] as? Int)
        let whole = demo.dir.appendingPathComponent("period")
        let p = try await CLI.run([
            "review", "period", "--db", demo.db.path, "--from", "\(first)-01", "--to", to, "--out", whole.path, "--as-of", Self.asOf,
        ])
        #expect(p.exitCode == 0, "\(p.stderr)")
        let all = try String(contentsOf: whole.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(all.hasPrefix("# Pipeline review \(first)-01 to \(to)\n"))
        try Self.check(
            report: all,
            against: ["handoffs": handoffs, "handoffs_by_priority": priorities, "dispositions_by_code": codes, "sla": sla],
            period: "\(first)-01 to \(to)")
        #expect(all.contains("## Does speed pay?\n\n**"), "a verdict sentence leads the section")
    }

    /// Hand-offs, per-priority counts, SLA compliance per policy and dispositions by code in a report.
    static func check(report: String, against period: [String: Any], period name: String) throws {
        let handoffs = period["handoffs"] as? Int ?? -1
        #expect(report.contains("By rep (\(handoffs) hand-offs):"), "\(name): hand-offs")
        let speed = try #require(section(report, from: "## Speed to contact", to: "## SLA compliance"))
        for (priority, n) in period["handoffs_by_priority"] as? [String: Int] ?? [:] {
            #expect(row(speed, "priority \(priority)")?[1] == "\(n)", "\(name): priority \(priority)")
        }
        let sla = try #require(section(report, from: "## SLA compliance", to: "## Funnel"))
        let policies = period["sla"] as? [String: [String: Int]] ?? [:]
        for (policy, c) in policies {
            let met = c["met"] ?? 0, total = met + (c["missed"] ?? 0)
            let cell = row(sla, policy)?[2] ?? ""
            #expect(cell.contains("(\(met)/\(total);"), "\(name): \(policy) compliance \(cell) vs \(met)/\(total)")
        }
        let dispositions = try #require(section(report, from: "## Dispositions", to: "Chi-square"))
        let codes = period["dispositions_by_code"] as? [String: Int] ?? [:]
        let total = codes.values.reduce(0, +)
        #expect(dispositions.contains("\(total) of \(handoffs) hand-offs of the period have a disposition"), "\(name): dispositions")
        for (code, n) in codes {
            #expect(row(dispositions, code)?[1].contains("(\(n)/\(total);") == true, "\(name): \(code)")
        }
    }

    static func section(_ text: String, from start: String, to end: String) -> String? {
        guard let a = text.range(of: start) else { return nil }
        let rest = text[a.upperBound...]
        return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)])
    }

    /// The cells of the first markdown table row whose first cell is `key`.
    static func row(_ text: String, _ key: String) -> [String]? {
        for line in text.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.first == key { return Array(cells) }
        }
        return nil
    }
}
