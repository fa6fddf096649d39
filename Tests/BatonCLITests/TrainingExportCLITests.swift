import Foundation
import TestSupport
import Testing

/// `baton training export` and `baton recalibrate --db` on a store filled by `baton handoff
/// replay` (issue 15): the CSV and its spec, and each bad input with its exit code and what to change.
@Suite(.serialized) struct TrainingExportCLITests {
    static let datasets = SharedData.projectRoot.appendingPathComponent("Datasets")

    /// A store replayed from 120 generated leads over 2023Q1–Q2, and the model that scored them.
    /// Filled once, by the first test that asks (a task, so the runs wait off the cooperative pool).
    static let filling = Task { () async -> (dir: URL, db: URL, model: URL)? in
        guard let dir = try? CLI.scratch() else { return nil }
        let model = dir.appendingPathComponent("model.json"), events = dir.appendingPathComponent("events.jsonl")
        let db = dir.appendingPathComponent("store.sqlite"), playbook = datasets.appendingPathComponent("playbook.yaml").path
        let steps = [
            [
                "fit", "--data", datasets.appendingPathComponent("leads_train.csv").path, "--spec",
                datasets.appendingPathComponent("leads.spec.yaml").path, "--out", model.path,
            ],
            ["generate", "--rows", "120", "--seed", "3", "--quarters", "2", "--events", events.path, "--model", model.path, "--playbook", playbook],
            ["handoff", "replay", "--events", events.path, "--playbook", playbook, "--model", model.path, "--db", db.path],
        ]
        for step in steps {
            guard let result = try? await CLI.run(step), result.exitCode == 0 else { return nil }
        }
        return (dir, db, model)
    }

    @Test func exportWritesTheCSVAndASpecAFitReads() async throws {
        let s = try #require(await Self.filling.value, "the store could not be filled")
        let csv = s.dir.appendingPathComponent("t.csv"), spec = s.dir.appendingPathComponent("t.spec.yaml")
        let result = try await CLI.run(["training", "export", "--db", s.db.path, "--as-of", "2023-10-01", "--out", csv.path, "--spec-out", spec.path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("wrote 120 leads to \(csv.path) (25 features): "))
        #expect(result.stdout.contains("past the 90-day outcome window: no outcome recorded, not counted as lost"))
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 121)
        #expect(
            lines[0].hasPrefix(
                "lead_id,created_at,scored_at,handed_off,score_model,score_points,score_probability,outcome,won,closed_at,closed_by,company_size,"))
        // The features come from the production model (the store keeps its file): the bundled spec's.
        let specText = try String(contentsOf: spec, encoding: .utf8)
        #expect(specText.contains("\"time\" : \"created_at\"") && specText.contains("\"column\" : \"won\""))
        // A fit on the file refuses an open lead by its line: it is never read as lost.
        let open = try #require(lines.firstIndex { $0.contains(",open,,") })
        let fit = try await CLI.run(["fit", "--data", csv.path, "--spec", spec.path, "--out", s.dir.appendingPathComponent("m.json").path])
        #expect(fit.exitCode == 65)
        #expect(fit.stderr.contains("line \(open + 1): the outcome cell (\"won\") is empty"), "\(fit.stderr)")
    }

    /// The export against the simulator's truth: every lead the simulated engine handed off is a
    /// row scored at that hand-off's event, with the engagement counts of the events replayed up to
    /// it and none after (the log holds thousands after); the others are rows never handed off;
    /// the won leads are the truth's.
    @Test func rowsMatchTheSimulatorsTruthAndHoldNothingAfterTheHandOff() async throws {
        let s = try #require(await Self.filling.value, "the store could not be filled")
        let csv = s.dir.appendingPathComponent("truth-check.csv")
        let result = try await CLI.run(["training", "export", "--db", s.db.path, "--as-of", "2023-10-01", "--out", csv.path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let truth = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: s.dir.appendingPathComponent("events.truth.json"))) as? [String: Any])
        let firstHandoff = try #require(truth["first_handoff_events"] as? [String: String])
        // The simulator's engagement types and the count columns they feed (the generator's own names).
        let columns = [
            "email_open": "email_opens", "email_click": "email_clicks", "content_download": "content_downloads", "page_view": "page_views",
            "pricing_page_view": "pricing_page_views", "demo_request": "demo_requests", "site_visit": "site_visits",
            "form_submission": "form_submissions", "webinar_attended": "webinars_attended", "event_attended": "events_attended",
            "social_engagement": "social_engagements", "support_chat": "support_chats", "sales_meeting": "sales_meetings",
            "free_trial_day_active": "free_trial_days_active",
        ]
        // Replay the log in order (a retried id once): counts per lead up to its hand-off event.
        var seen = Set<String>(), handedOff = Set<String>()
        var counts: [String: [String: Int]] = [:], handoffTime: [String: String] = [:]
        var ignoredAfterHandoff = 0
        let log = try String(contentsOf: s.dir.appendingPathComponent("events.jsonl"), encoding: .utf8)
        for line in log.split(separator: "\n") {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let id = try #require(event["event_id"] as? String), lead = try #require(event["lead_id"] as? String)
            guard seen.insert(id).inserted else { continue }
            let isEngagement = event["type"] as? String == "engagement"
            if handedOff.contains(lead) {
                if isEngagement { ignoredAfterHandoff += 1 }
                continue
            }
            if isEngagement, let type = event["event_type"] as? String {
                let column = try #require(columns[type], "engagement type \(type) of the log has no column here")
                counts[lead, default: [:]][column, default: 0] += 1
            }
            if firstHandoff[lead] == id {
                handedOff.insert(lead)
                handoffTime[lead] = event["occurred_at"] as? String
            }
        }
        #expect(ignoredAfterHandoff > 100, "the check needs engagement after hand-offs to leave out (\(ignoredAfterHandoff))")
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header = try #require(lines.first)
        func cell(_ row: [String], _ name: String) -> String? { header.firstIndex(of: name).map { row[$0] } }
        var rowsHandedOff = 0, rowsWon = 0
        for row in lines.dropFirst() {
            let lead = row[0]
            if cell(row, "won") == "1" { rowsWon += 1 }
            guard firstHandoff[lead] != nil else {
                #expect(cell(row, "handed_off") == "0", "\(lead) was never handed off in the simulation")
                continue
            }
            rowsHandedOff += 1
            #expect(cell(row, "handed_off") == "1" && cell(row, "scored_at") == handoffTime[lead], "\(lead): \(row.prefix(4))")
            for column in Set(columns.values) {
                #expect(cell(row, column) == "\(counts[lead]?[column] ?? 0)", "\(lead) \(column) as of its hand-off")
            }
        }
        #expect(lines.count - 1 == truth["leads"] as? Int)
        #expect(rowsHandedOff == firstHandoff.count && rowsHandedOff == truth["leads_handed_off"] as? Int)
        #expect(rowsWon == truth["won"] as? Int)
    }

    @Test func badInputSaysWhatToChange() async throws {
        let s = try #require(await Self.filling.value, "the store could not be filled")
        let out = s.dir.appendingPathComponent("bad.csv").path
        // An as-of before the first lead: a flag to change (64).
        let early = try await CLI.run(["training", "export", "--db", s.db.path, "--as-of", "2022-06-01", "--out", out])
        #expect(early.exitCode == 64)
        #expect(early.stderr.contains("--as-of 2022-06-01 is before the store's first lead (created 2023-01-01T"), "\(early.stderr)")
        #expect(early.stderr.contains("pass a later --as-of"))
        // A spec whose features the leads never carried: bad data (65), naming them and the near miss.
        let spec = s.dir.appendingPathComponent("odd.spec.yaml")
        try spec.write(
            """
            outcome: {column: won, positive: ["1"]}
            features:
              - {column: industry, type: categorical}
              - {column: pricing_page_veiws, type: numeric}
            """)
        let odd = try await CLI.run(["training", "export", "--db", s.db.path, "--as-of", "2023-10-01", "--out", out, "--spec", spec.path])
        #expect(odd.exitCode == 65)
        #expect(odd.stderr.contains("feature \"pricing_page_veiws\" never carried by any of the store's 120 leads"), "\(odd.stderr)")
        #expect(odd.stderr.contains("pricing_page_veiws → pricing_page_views?") && odd.stderr.contains("remove it from the spec"))
        #expect(!FileManager.default.fileExists(atPath: out))
        // A store that does not exist (64), and --data with --db (64).
        let none = try await CLI.run([
            "training", "export", "--db", s.dir.appendingPathComponent("nope.sqlite").path, "--as-of", "2023-10-01", "--out", out,
        ])
        #expect(none.exitCode == 64 && none.stderr.contains("does not exist"))
        let both = try await CLI.run([
            "recalibrate", "--data", out, "--db", s.db.path, "--spec", spec.path, "--as-of", "2023-10-01", "--out",
            s.dir.appendingPathComponent("r").path,
        ])
        #expect(both.exitCode == 64 && both.stderr.contains("give either --data FILE.csv or --db STORE"))
        // Too few matured outcomes in the store (65): the lab's message, plus what the store left out.
        let recal = try await CLI.run([
            "recalibrate", "--db", s.db.path, "--spec", Self.datasets.appendingPathComponent("leads.spec.yaml").path,
            "--as-of", "2023-10-01", "--out", s.dir.appendingPathComponent("r").path,
        ])
        #expect(recal.exitCode == 65)
        #expect(recal.stderr.contains("matured leads") && recal.stderr.contains("From the store:"), "\(recal.stderr)")
        #expect(recal.stderr.contains("record their won/lost events, or pass a later --as-of"))
        #expect(!FileManager.default.fileExists(atPath: s.dir.appendingPathComponent("r").path))
    }
}
