import Foundation
import TestSupport
import Testing

/// The CSV path of issue 14 for teams without CRM API access: `baton handoff export` writes the
/// CRM update rows, read back here against the store with sqlite3 (an independent reader), and
/// `baton handoff replay` takes the dispositions and outcomes back as a CRM report exports them
/// (flat columns, no JSON), after which the export shows the leads closed.
@Suite struct HandoffExportTests {
    static let datasets = SharedData.projectRoot.appendingPathComponent("Datasets")

    static func rows(_ csv: String) -> [[String: String]] {
        let lines = csv.split(separator: "\r\n").map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }

    @Test func exportMatchesTheStoreAndAFlatOutcomeCSVClosesTheLoop() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try await HandoffReplayTests().model(in: dir)
        let playbook = Self.datasets.appendingPathComponent("playbook.yaml").path
        let events = dir.appendingPathComponent("events.jsonl")
        let generated = try await CLI.run([
            "generate", "--rows", "30", "--seed", "5", "--events", events.path, "--model", model.path, "--playbook", playbook,
        ])
        #expect(generated.exitCode == 0, "\(generated.stderr)")
        // The first third of the log: leads still in reps' hands when it ends.
        let lines = try String(contentsOf: events, encoding: .utf8).split(separator: "\n")
        let early = dir.appendingPathComponent("early.jsonl")
        try lines.prefix(lines.count / 3).joined(separator: "\n").write(to: early, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("store.sqlite").path
        let replay = try await CLI.run(["handoff", "replay", "--events", early.path, "--playbook", playbook, "--model", model.path, "--db", db])
        #expect(replay.exitCode == 0, "\(replay.stderr)")

        let export = try await CLI.run(["handoff", "export", "--db", db, "--since", "2000-01-01", "--link-base", "https://baton.example.com"])
        #expect(export.exitCode == 0, "\(export.stderr)")
        #expect(
            export.stdout.hasPrefix(
                "lead_id,probability,points,stage,priority,owner_kind,owner,sla_state,sla_due,closed_as,closed_at,last_activity_at,handoff_url\r\n"))
        let rows = Self.rows(export.stdout)
        let leads = Int(try Shell.run("/usr/bin/sqlite3", [db, "SELECT count(*) FROM leads"]).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(rows.count == leads && rows.count > 5)
        for row in rows.prefix(10) {
            let id = row["lead_id"] ?? ""
            #expect(!id.contains("'") && id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "generated ids need no quoting")
            let stage = try Shell.run(
                "/usr/bin/sqlite3",
                [db, "SELECT stage FROM qualification_decisions WHERE lead_id = '\(id)' ORDER BY decided_at DESC, id DESC LIMIT 1"])
            #expect(row["stage"] == stage.trimmingCharacters(in: .whitespacesAndNewlines), "\(id)")
            let owner = try Shell.run(
                "/usr/bin/sqlite3", [db, "SELECT COALESCE(rep_id, queue) FROM assignments WHERE lead_id = '\(id)' AND unassigned_at IS NULL"])
            #expect(row["owner"] == owner.trimmingCharacters(in: .whitespacesAndNewlines), "\(id)")
            #expect(row["handoff_url"] == "https://baton.example.com/leads/\(id)")
        }

        // A CRM report, flat columns as CRMs export them: a manager hands two nurture leads to avery,
        // who later marks them bad timing.
        let nurture = rows.filter { ($0["owner"] ?? "").isEmpty && ($0["closed_as"] ?? "").isEmpty }.prefix(2)
        try #require(nurture.count == 2, "the early log has leads nobody holds")
        var report = "event_id,type,occurred_at,lead_id,rep_id,assigned_by,code,note\r\n"
        for (n, row) in nurture.enumerated() {
            let lead = row["lead_id"] ?? ""
            report += "crm-a\(n),assign,2031-01-0\(n + 1)T09:00:00Z,\(lead),avery,dana@example.com,,\r\n"
            report += "crm-d\(n),disposition,2031-01-0\(n + 1)T15:00:00Z,\(lead),avery,,bad_timing,\"budget, next year\"\r\n"
        }
        let held = nurture
        let reportFile = dir.appendingPathComponent("crm-dispositions.csv")
        try report.write(to: reportFile, atomically: true, encoding: .utf8)
        let imported = try await CLI.run([
            "handoff", "replay", "--events", reportFile.path, "--playbook", playbook, "--model", model.path, "--db", db, "--json",
        ])
        #expect(imported.exitCode == 0, "\(imported.stderr)\(imported.stdout)")
        let after = Self.rows(try await CLI.run(["handoff", "export", "--db", db, "--since", "2031-01-01"]).stdout)
        #expect(Set(after.map { $0["lead_id"] ?? "" }) == Set(held.map { $0["lead_id"] ?? "" }), "only the leads changed since")
        #expect(
            after.count == 2
                && after.allSatisfy { $0["closed_as"] == "bad_timing" && $0["owner"] == "" && ($0["closed_at"] ?? "").hasPrefix("2031-01-0") },
            "\(after)")
        let notes = try Shell.run("/usr/bin/sqlite3", [db, "SELECT note FROM dispositions WHERE disposition_id LIKE 'crm-d%'"])
        #expect(notes.components(separatedBy: "budget, next year").count == 3, "the quoted note arrives whole: \(notes)")

        let out = dir.appendingPathComponent("update.csv").path
        #expect(try await CLI.run(["handoff", "export", "--db", db, "--since", "2031-01-01", "--out", out]).exitCode == 0)
        #expect(try await CLI.run(["handoff", "export", "--db", db, "--since", "2031-01-01", "--out", out]).exitCode == 73, "never overwrites")
        #expect(try await CLI.run(["handoff", "export", "--db", db, "--since", "soon"]).exitCode == 64)
        #expect(
            try await CLI.run(["handoff", "export", "--db", dir.appendingPathComponent("none.sqlite").path, "--since", "2031-01-01"]).exitCode == 64)
    }
}
