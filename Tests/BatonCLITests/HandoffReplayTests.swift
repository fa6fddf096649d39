import Foundation
import TestSupport
import Testing

/// `baton generate --events` → `baton handoff replay` → the store holds exactly the generator's
/// truth; `baton handoff status` reads it back; a refused event gives exit 65 and keeps the rest.
@Suite struct HandoffReplayTests {
    static let datasets = SharedData.projectRoot.appendingPathComponent("Datasets")

    func model(in dir: URL) async throws -> URL {
        let model = dir.appendingPathComponent("model.json")
        let fit = try await CLI.run([
            "fit", "--data", Self.datasets.appendingPathComponent("leads_train.csv").path,
            "--spec", Self.datasets.appendingPathComponent("leads.spec.yaml").path, "--out", model.path,
        ])
        #expect(fit.exitCode == 0, "\(fit.stderr)")
        return model
    }

    @Test func replayOfAGeneratedLogStoresTheTruth() async throws {
        let dir = try CLI.scratch()
        let model = try await model(in: dir)
        let events = dir.appendingPathComponent("events.jsonl")
        let playbook = Self.datasets.appendingPathComponent("playbook.yaml").path
        let gen = try await CLI.run([
            "generate", "--rows", "25", "--seed", "11", "--events", events.path, "--model", model.path, "--playbook", playbook,
        ])
        #expect(gen.exitCode == 0, "\(gen.stderr)")
        // Same seed, same bytes.
        let again = dir.appendingPathComponent("again.jsonl")
        _ = try await CLI.run(["generate", "--rows", "25", "--seed", "11", "--events", again.path, "--model", model.path, "--playbook", playbook])
        #expect(try Data(contentsOf: events) == Data(contentsOf: again))
        let truthData = try Data(contentsOf: dir.appendingPathComponent("events.truth.json"))
        let truth = try #require(try JSONSerialization.jsonObject(with: truthData) as? [String: Any])
        let db = dir.appendingPathComponent("store.sqlite")
        let replay = try await CLI.run([
            "handoff", "replay", "--events", events.path, "--playbook", Self.datasets.appendingPathComponent("playbook.yaml").path,
            "--model", model.path, "--db", db.path, "--json",
        ])
        #expect(replay.exitCode == 0, "\(replay.stderr)")
        let summary = try replay.json()
        #expect(summary["applied"] as? Int == truth["events"] as? Int)
        #expect(summary["duplicates"] as? Int == truth["duplicates"] as? Int)
        #expect((summary["rejected"] as? [Any])?.isEmpty == true)
        #expect(summary["events_by_type"] as? [String: Int] == truth["events_by_type"] as? [String: Int])
        #expect((truth["duplicates"] as? Int ?? 0) > 0)

        // The store's own rows, read independently with sqlite3.
        func count(_ sql: String) throws -> Int {
            let out = try Shell.run("/usr/bin/sqlite3", [db.path, sql])
            return Int(out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        let byType = truth["events_by_type"] as? [String: Int] ?? [:]
        #expect(try count("SELECT count(*) FROM leads") == truth["leads"] as? Int)
        #expect(try count("SELECT count(*) FROM engagement_events") == truth["events"] as? Int)
        #expect(try count("SELECT count(*) FROM contact_attempts") == truth["contact_attempts"] as? Int)
        #expect(try count("SELECT count(*) FROM dispositions") == byType["disposition"] ?? 0)
        #expect(try count("SELECT count(*) FROM dispositions") == (truth["dispositions_by_code"] as? [String: Int] ?? [:]).values.reduce(0, +))
        #expect(try count("SELECT count(*) FROM opportunities") == truth["opportunities"] as? Int)
        #expect(try count("SELECT count(*) FROM outcomes WHERE result = 'won'") == truth["won"] as? Int)
        #expect(try count("SELECT count(*) FROM outcomes WHERE result = 'lost'") == truth["lost"] as? Int)
        let wonCents = (truth["won_minor_units"] as? [String: Int] ?? [:]).values.reduce(0, +)
        #expect(try count("SELECT coalesce(sum(amount_minor), 0) FROM outcomes WHERE result = 'won'") == wonCents)
        // Every lead_created and engagement rescored the lead, each score naming the model.
        #expect(try count("SELECT count(*) FROM scores") == (byType["lead_created"] ?? 0) + (byType["engagement"] ?? 0))
        #expect(try count("SELECT count(DISTINCT model_sha256) FROM scores") == 1)

        let status = try await CLI.run(["handoff", "status", "--db", db.path, "--json"])
        #expect(status.exitCode == 0, "\(status.stderr)")
        let json = try status.json()
        let rows = json["handoffs"] as? [[String: Any]] ?? []
        #expect(rows.count == (try count("SELECT count(*) FROM assignments WHERE unassigned_at IS NULL")))
        let table = try await CLI.run(["handoff", "status", "--db", db.path])
        #expect(table.stdout.contains("open hand-offs: \(rows.count)") && table.stdout.contains("holder"))
    }

    @Test func theEventLogNeedsTheModelAndPlaybookItReactsTo() async throws {
        let dir = try CLI.scratch()
        let gen = try await CLI.run(["generate", "--rows", "5", "--seed", "1", "--events", dir.appendingPathComponent("e.jsonl").path])
        #expect(gen.exitCode == 64)
        #expect(gen.stderr.contains("--events needs --model MODEL.json and --playbook FILE"))
    }

    @Test func aRefusedEventExits65AndKeepsTheAcceptedOnes() async throws {
        let dir = try CLI.scratch()
        let model = try await model(in: dir)
        let log = dir.appendingPathComponent("events.csv")
        let fields =
            #"{""fields"": {""company_size"": ""201-1000"", ""industry"": ""software"", ""region"": ""emea"", ""job_seniority"": ""vp"", ""budget_authority"": ""yes"", ""purchase_timeline"": ""0-3_months"", ""lead_source"": ""referral"", ""department"": ""it"", ""current_solution"": ""none"", ""product_interest"": ""core"", ""content_downloads"": 1, ""webinars_attended"": 0, ""email_opens"": 4, ""email_clicks"": 1, ""page_views"": 9, ""pricing_page_views"": 0, ""demo_requests"": 0, ""site_visits"": 3, ""form_submissions"": 1, ""free_trial_days_active"": 0, ""events_attended"": 0, ""sales_meetings"": 0, ""social_engagements"": 0, ""support_chats"": 0, ""days_since_last_activity"": 2}}"#
        try log.write(
            """
            event_id,type,occurred_at,lead_id,payload
            e1,lead_created,2024-03-04T09:00:00Z,L1,"\(fields)"
            e2,engagement,2024-03-04T09:05:00Z,L1,"{""event_type"": ""demo_request""}"
            e3,contact_attempt,2024-03-04T09:30:00Z,L1,"{""rep_id"": ""nobody"", ""channel"": ""call"", ""outcome"": ""voicemail""}"
            e4,contact_attempt,2024-03-04T09:40:00Z,L1,"{""rep_id"": ""mila"", ""channel"": ""call"", ""outcome"": ""connected""}"
            e5,engagement,2024-03-04T09:50:00Z,L404,"{""event_type"": ""page_view""}"

            """)
        let db = dir.appendingPathComponent("store.sqlite")
        let args = [
            "handoff", "replay", "--events", log.path, "--playbook", Self.datasets.appendingPathComponent("playbook.yaml").path,
            "--model", model.path, "--db", db.path,
        ]
        let stop = try await CLI.run(args)
        #expect(stop.exitCode == 65)
        #expect(stop.stdout.contains("line 4 (e3)") && stop.stdout.contains("rep 'nobody'"))
        #expect(stop.stdout.contains("events applied: 2"))
        // Going on past refusals: e4 is applied, e5 (unknown lead) refused too; e1/e2 are duplicates now.
        let go = try await CLI.run(args + ["--continue-on-error", "--json"])
        #expect(go.exitCode == 65)
        let summary = try go.json()
        #expect(summary["applied"] as? Int == 1 && summary["duplicates"] as? Int == 2)
        let rejected = summary["rejected"] as? [[String: Any]] ?? []
        #expect(rejected.map { $0["line"] as? Int } == [4, 6])
        #expect((rejected.last?["reason"] as? String)?.contains("lead 'L404' is not stored") == true)
        let status = try await CLI.run(["handoff", "status", "--db", db.path, "--json"])
        let rows = try status.json()["handoffs"] as? [[String: Any]] ?? []
        #expect(rows.count == 1 && rows.first?["holder"] as? String == "mila" && rows.first?["sla_state"] as? String != nil)
    }
}

/// Runs a tool and returns its standard output.
enum Shell {
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
