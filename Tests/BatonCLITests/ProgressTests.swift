import Foundation
import TestSupport
import Testing

/// Long work shows progress on a terminal and stays quiet elsewhere (issue 21 item 11): `baton
/// generate --events` and `baton handoff replay` run under a pseudo-terminal made by Python's
/// `pty` module, where a progress line (count, total, rate) appears on standard error; the
/// demo test checks the same commands write none into a pipe, and `--quiet` silences it here.
@Suite struct ProgressTests {
    /// Runs baton with a pseudo-terminal as its standard output and error; returns exit code and all it wrote.
    static func underTerminal(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let script = """
            import os, pty, sys
            status = pty.spawn(sys.argv[1:])
            sys.exit(os.waitstatus_to_exitcode(status))
            """
        let binary = CLI.executable.path
        return try await BlockingWork.run { try PythonTooling.run("/usr/bin/env", ["python3", "-c", script, binary] + arguments) }
    }

    @Test func generateAndReplayShowProgressOnATerminal() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let datasets = ClosedLoopDemoTests.datasets
        let model = dir.appendingPathComponent("model.json")
        let fit = try await CLI.run([
            "fit", "--data", datasets.appendingPathComponent("leads_train.csv").path,
            "--spec", datasets.appendingPathComponent("leads.spec.yaml").path, "--out", model.path,
        ])
        try #require(fit.exitCode == 0, "\(fit.stderr)")
        let events = dir.appendingPathComponent("events.jsonl").path
        let generate = try await Self.underTerminal([
            "generate", "--rows", "12", "--seed", "5", "--quarters", "1", "--events", events, "--model", model.path,
            "--playbook", ClosedLoopDemoTests.playbook,
        ])
        #expect(generate.status == 0, "\(generate.output)")
        #expect(generate.output.contains("simulate: 12 of 12 leads reached (100 %)"), "\(generate.output)")
        #expect(generate.output.contains("\r\u{1B}[K"), "the line is rewritten in place")

        let replay = try await Self.underTerminal([
            "handoff", "replay", "--events", events, "--playbook", ClosedLoopDemoTests.playbook, "--model", model.path,
            "--db", dir.appendingPathComponent("store.sqlite").path,
        ])
        #expect(replay.status == 0, "\(replay.output)")
        let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n").count
        #expect(replay.output.contains("replay: \(lines) of \(lines) events (100 %)"), "\(replay.output)")
        #expect(replay.output.contains("events applied:"), "the summary follows: \(replay.output)")

        let quiet = try await Self.underTerminal([
            "handoff", "replay", "--events", events, "--playbook", ClosedLoopDemoTests.playbook, "--model", model.path,
            "--db", dir.appendingPathComponent("quiet.sqlite").path, "--quiet",
        ])
        #expect(quiet.status == 0 && !quiet.output.contains("replay:"), "\(quiet.output)")
    }
}
