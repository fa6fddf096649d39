import Foundation
import TestSupport
import Testing

/// `baton review weekly|monthly` through the built binary: usage errors exit 64 before anything
/// is written, and reviews of a store filled by `baton import olist-funnel` agree with counts
/// Python's csv module takes from the raw Olist files in the test set-up.
@Suite(.serialized) struct ReviewCommandTests {
    /// One store for the suite (the import takes a few seconds), in a scratch folder.
    static let filling = Task { () async -> Result<URL, any Error> in
        do {
            let dir = try CLI.scratch()
            let result = try await CLI.run(
                [
                    "import", "olist-funnel", "--mqls", SharedData.olistLeads.path, "--deals", SharedData.olistDeals.path,
                    "--db", "olist.sqlite",
                ], in: dir)
            guard result.exitCode == 0 else { return .failure(SharedDataError("import failed: \(result.stderr)")) }
            return .success(dir.appendingPathComponent("olist.sqlite"))
        } catch {
            return .failure(error)
        }
    }

    struct Counts: Decodable {
        /// Hand-offs (MQLs) of ISO week 2018-W10 (2018-03-05 … 03-11) and of March 2018.
        let week, weekWon, month, monthWon: Int
        /// Hand-offs of 2018-01-01 through 2018-03-31, both days included.
        let quarter: Int
        let weekBySource: [String: Int]
        /// Won March leads per SDR (their hand-offs; the others go to the fallback queue).
        let monthBySDR: [String: Int]
    }

    static let script = #"""
        import csv, json, sys
        mqls = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
        deals = {d["mql_id"]: d for d in csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8"))}
        week = [m for m in mqls if "2018-03-05" <= m["first_contact_date"] <= "2018-03-11"]
        month = [m for m in mqls if m["first_contact_date"].startswith("2018-03")]
        quarter = [m for m in mqls if "2018-01-01" <= m["first_contact_date"][:10] <= "2018-03-31"]
        by_source, by_sdr = {}, {}
        for m in week:
            key = m["origin"] or "(none)"
            by_source[key] = by_source.get(key, 0) + 1
        for m in month:
            d = deals.get(m["mql_id"])
            if d and d["sdr_id"]:
                by_sdr[d["sdr_id"]] = by_sdr.get(d["sdr_id"], 0) + 1
        print(json.dumps({"week": len(week), "weekWon": sum(1 for m in week if m["mql_id"] in deals),
                          "month": len(month), "monthWon": sum(1 for m in month if m["mql_id"] in deals), "quarter": len(quarter),
                          "weekBySource": by_source, "monthBySDR": by_sdr}))
        """#

    func counts() async throws -> Counts { try await PythonReading.olist(Self.script, as: Counts.self) }

    @Test(arguments: [
        (["weekly", "--week", "2025-W54"], "--week '2025-W54'"),
        (["monthly", "--month", "2025-13"], "--month '2025-13'"),
        (["weekly", "--week", "2025-W41", "--time-zone", "Mars/Olympus_Mons"], "--time-zone 'Mars/Olympus_Mons'"),
        (["monthly", "--month", "2025-10", "--time-zone", "Mars/Olympus_Mons"], "--time-zone 'Mars/Olympus_Mons'"),
        (["weekly", "--week", "2025-W41", "--playbook", "no-such-playbook.yaml"], "--playbook file no-such-playbook.yaml"),
        (["period", "--from", "2023-02-30", "--to", "2023-03-31"], "--from '2023-02-30': 2023-02 has days 01 to 28"),
        (["period", "--from", "2023-01-01", "--to", "31/03/2023"], "--to '31/03/2023': not of the form YYYY-MM-DD"),
        (["period", "--from", "2023-03-31", "--to", "2023-01-01"], "--to '2023-01-01' is before --from '2023-03-31'"),
        (["period", "--from", "2023-01-01"], "--to"),
        (["period", "--to", "2023-03-31"], "--from"),
        (["period", "--from", "2023-01-01", "--to", "2023-03-31", "--week", "2023-W02"], "--week"),
        (["period", "--from", "2023-01-01", "--to", "2023-03-31", "--time-zone", "Mars/Olympus_Mons"], "--time-zone 'Mars/Olympus_Mons'"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) async throws {
        let db = try await Self.filling.value.get()
        let dir = try CLI.scratch()
        let result = try await CLI.run(["review"] + arguments + ["--db", db.path, "--out", "out"], in: dir)
        #expect(result.exitCode == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test(arguments: [["weekly", "--week", "2025-W41"], ["monthly", "--month", "2025-10"]])
    func missingDatabaseExits64AndCreatesNoStore(arguments: [String]) async throws {
        let dir = try CLI.scratch()
        let result = try await CLI.run(["review"] + arguments + ["--db", "missing.sqlite", "--out", "out"], in: dir)
        #expect(result.exitCode == 64 && result.stderr.contains("missing.sqlite: store not found"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func weeklyReviewOfTheImportedFunnel() async throws {
        let db = try await Self.filling.value.get(), c = try await counts()
        let dir = try CLI.scratch()
        let result = try await CLI.run(
            ["review", "weekly", "--week", "2018-W10", "--db", db.path, "--out", "w10", "--as-of", "2019-01-01T00:00:00Z"], in: dir)
        try #require(result.exitCode == 0, "\(result.stderr)")
        let report = try String(contentsOf: dir.appendingPathComponent("w10/report.md"), encoding: .utf8)
        #expect(report.hasPrefix("# Weekly SLA review 2018-W10"))
        #expect(report.contains("Period: 2018-03-05T00:00:00Z to 2018-03-12T00:00:00Z"))
        #expect(report.contains("Qualified hand-offs (MQL or SQL) delivered: **\(c.week)**"))
        #expect(report.contains("By source (\(c.week) hand-offs):"))
        for (source, n) in c.weekBySource {
            #expect(report.contains("| \(source) | \(n) | \(String(format: "%.1f", 100 * Double(n) / Double(c.week))) % |"), "\(source): \(n)")
        }
        #expect(report.contains("- \(c.week - c.weekWon) hand-off(s) landed in a fallback queue"))
        #expect(report.contains("**No contact attempt is stored for any loaded lead.**"))
        // Every chart the notebook links is a file next to it.
        let links = report.components(separatedBy: "](").dropFirst().compactMap { $0.split(separator: ")").first.map(String.init) }.filter {
            $0.hasSuffix(".svg")
        }
        #expect(!links.isEmpty)
        for link in links { #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("w10/\(link)").path), "\(link)") }
    }

    /// `review period`: both days included (the Python count takes 2018-03-31 in), the title names
    /// the period, and a source without scores gets a plain "not enough" on speed and no test of dispositions it lacks.
    @Test func quarterReviewOfTheImportedFunnel() async throws {
        let db = try await Self.filling.value.get(), c = try await counts()
        let dir = try CLI.scratch()
        let result = try await CLI.run(
            [
                "review", "period", "--from", "2018-01-01", "--to", "2018-03-31", "--db", db.path, "--out", "q1", "--as-of",
                "2019-01-01T00:00:00Z", "--cohort-months", "0",
            ], in: dir)
        try #require(result.exitCode == 0, "\(result.stderr)")
        let report = try String(contentsOf: dir.appendingPathComponent("q1/report.md"), encoding: .utf8)
        #expect(report.hasPrefix("# Pipeline review 2018-01-01 to 2018-03-31\n"))
        #expect(report.contains("Period: 2018-01-01T00:00:00Z to 2018-04-01T00:00:00Z"))
        #expect(report.contains("Qualified hand-offs (MQL or SQL) delivered: **\(c.quarter)**"))
        #expect(
            report.contains(
                "**Not enough matured hand-offs to judge whether speed pays (need 50 matured and scored, have 0)"))
        #expect(report.contains("| source | 0 × 0 | — | 0 | — | not tested: no hand-off of the period has a disposition |"))
    }

    @Test func monthlyReviewOfTheImportedFunnelWithAPlaybook() async throws {
        let db = try await Self.filling.value.get(), c = try await counts()
        let dir = try CLI.scratch()
        let sdr = try #require(c.monthBySDR.max { $0.value < $1.value })
        // The busiest SDR of the month works 08:00–12:00 in São Paulo; everyone else gets 10:00–16:00.
        try dir.appendingPathComponent("playbook.yaml").write(
            """
            routing: {fallback_queue: olist-sdr-unknown}
            sla:
              working_hours: {days: [mon, tue, wed, thu, fri], from: "10:00", to: "16:00"}
            reps:
              - {id: \(sdr.key), time_zone: America/Sao_Paulo, working_hours: {days: [mon, tue, wed, thu, fri], from: "08:00", to: "12:00"}}
            """)
        let result = try await CLI.run(
            [
                "review", "monthly", "--month", "2018-03", "--db", db.path, "--out", "m03", "--as-of", "2019-01-01T00:00:00Z",
                "--cohort-months", "0", "--playbook", "playbook.yaml",
            ], in: dir)
        try #require(result.exitCode == 0, "\(result.stderr)")
        let report = try String(contentsOf: dir.appendingPathComponent("m03/report.md"), encoding: .utf8)
        #expect(report.hasPrefix("# Monthly pipeline review 2018-03"))
        #expect(report.contains("Qualified hand-offs (MQL or SQL) delivered: **\(c.month)**"))
        #expect(report.contains("| all | \(c.month) | 0 | \(c.month) |"))
        #expect(
            report.contains(
                "| MQL | \(c.month) | \(c.month) | \(String(format: "%.1f", 100 * Double(c.monthWon) / Double(c.month))) % (\(c.monthWon)/\(c.month);"
            ))
        #expect(report.contains("- \(c.month - c.monthWon) hand-off(s) landed in a fallback queue"))
        for (rep, n) in c.monthBySDR { #expect(report.contains("| \(rep) | \(n) | 0 | \(n) |"), "\(rep): \(n)") }
        #expect(report.contains("from the playbook playbook.yaml: the time zone, working hours and holidays of its 1 rep(s) (\(sdr.key))"))
        #expect(report.contains("10:00–16:00 Mon, Tue, Wed, Thu, Fri"))

        // A playbook that is not one: bad data, exit 65, nothing written.
        try dir.appendingPathComponent("bad.yaml").write("reps: []\n")
        let bad = try await CLI.run(["review", "monthly", "--month", "2018-03", "--db", db.path, "--out", "bad", "--playbook", "bad.yaml"], in: dir)
        #expect(bad.exitCode == 65 && bad.stderr.contains("routing"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad").path))
    }
}
