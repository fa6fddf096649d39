import Foundation
import TestSupport
import Testing

/// `baton handoff explain` (issue 16): after replaying a generated log, every assignment the
/// store holds has its routing decision in the ledger, and explain prints it for any lead.
@Suite struct HandoffExplainTests {
    @Test func everyAssignmentIsExplainedAndExplainPrintsIt() async throws {
        let dir = try CLI.scratch()
        let model = try await HandoffReplayTests().model(in: dir)
        let events = dir.appendingPathComponent("events.jsonl")
        let playbook = HandoffReplayTests.datasets.appendingPathComponent("playbook.yaml").path
        let gen = try await CLI.run([
            "generate", "--rows", "40", "--seed", "16", "--events", events.path, "--model", model.path, "--playbook", playbook,
        ])
        #expect(gen.exitCode == 0, "\(gen.stderr)")
        let db = dir.appendingPathComponent("store.sqlite")
        let replay = try await CLI.run(["handoff", "replay", "--events", events.path, "--playbook", playbook, "--model", model.path, "--db", db.path])
        #expect(replay.exitCode == 0, "\(replay.stderr)")
        func scalar(_ sql: String) throws -> String {
            try Shell.run("/usr/bin/sqlite3", [db.path, sql]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // One routing entry per assignment (router, by hand or restored), read independently with sqlite3.
        let assignments = try scalar("SELECT count(*) FROM assignments")
        #expect(Int(assignments) ?? 0 > 0)
        #expect(try scalar("SELECT count(*) FROM decision_ledger WHERE kind = 'routing'") == assignments)
        #expect(
            try scalar(
                """
                SELECT count(*) FROM assignments a WHERE rep_id IS NOT NULL AND NOT EXISTS (
                  SELECT 1 FROM decision_ledger d WHERE d.lead_id = a.lead_id AND d.kind = 'routing'
                    AND json_extract(d.entry, '$.routing.rep_id') = a.rep_id AND d.decided_at = a.assigned_at)
                """) == "0", "each rep assignment has the routing entry that chose that rep, at that instant")

        let lead = try scalar("SELECT lead_id FROM assignments WHERE rep_id IS NOT NULL ORDER BY id LIMIT 1")
        let rep = try scalar("SELECT rep_id FROM assignments WHERE rep_id IS NOT NULL ORDER BY id LIMIT 1")
        let text = try await CLI.run(["handoff", "explain", "--db", db.path, "--lead", lead])
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("Lead \(lead): "))
        #expect(text.stdout.contains("  candidates:\n"))
        #expect(text.stdout.contains("    + \(rep)"), "\(text.stdout)")
        #expect(text.stdout.contains("first touch due "))

        let json = try await CLI.run(["handoff", "explain", "--db", db.path, "--lead", lead, "--json"])
        #expect(json.exitCode == 0, "\(json.stderr)")
        let body = try json.json()
        #expect(body["lead_id"] as? String == lead)
        #expect("\(body["count"] as? Int ?? -1)" == (try scalar("SELECT count(*) FROM decision_ledger WHERE lead_id = '\(lead)'")))
        let first = try #require((body["decisions"] as? [[String: Any]])?.first)
        #expect(first["kind"] as? String == "routing")
        #expect((first["routing"] as? [String: Any])?["rep_id"] as? String == rep)

        // README's excerpt ("Why a lead went where it went") is this replay's output for L00000027, word for word.
        let readme = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = "```\nLead L00000027: "
        let start = try #require(readme.range(of: marker))
        let rest = readme[readme.index(start.lowerBound, offsetBy: 4)...]
        let end = try #require(rest.range(of: "\n```"))
        let block = rest[..<end.lowerBound] + "\n"
        #expect(block.split(separator: "\n").count == 15)
        let excerpt = try await CLI.run(["handoff", "explain", "--db", db.path, "--lead", "L00000027"])
        #expect(excerpt.stdout.hasPrefix(String(block)), "README excerpt differs from:\n\(excerpt.stdout)")

        let unknown = try await CLI.run(["handoff", "explain", "--db", db.path, "--lead", "no-such-lead"])
        #expect(unknown.exitCode == 64)
        #expect(unknown.stderr.contains("lead 'no-such-lead' is not in"))
        let missing = try await CLI.run(["handoff", "explain", "--db", dir.appendingPathComponent("none.sqlite").path, "--lead", lead])
        #expect(missing.exitCode == 64)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("none.sqlite").path), "explain never creates a store")
    }
}
