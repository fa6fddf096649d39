import Foundation
import TestSupport
import Testing

/// Runs the built `baton` executable and captures what a user would see.
struct CLIResult: Sendable {
    var exitCode: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as a JSON object.
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
            throw SharedDataError("stdout is not a JSON object: \(stdout.prefix(200))")
        }
        return object
    }
}

enum CLI {
    /// `$BATON_BIN`, else `baton` next to the test bundle, else `.build/debug/baton`.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["BATON_BIN"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("baton"))
            folder.deleteLastPathComponent()
        }
        candidates.append(SharedData.projectRoot.appendingPathComponent(".build/debug/baton"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[candidates.count - 1]
    }()

    /// Runs baton; with `timeout` (whole seconds) coreutils' `timeout` kills a run that takes longer
    /// (SIGKILL, exit 137 in the result). The wait is on a thread of its own (`BlockingWork.run`), never on one of the two
    /// threads of Swift's cooperative pool: a blocked pool thread stalls every in-process server,
    /// PostgreSQL pool and timer of the suite (requests time out, leases expire) while baton runs.
    static func run(_ arguments: [String], in directory: URL? = nil, timeout: Int? = nil) async throws -> CLIResult {
        try await BlockingWork.run { try runWaiting(arguments, in: directory, timeout: timeout) }
    }

    private static func runWaiting(_ arguments: [String], in directory: URL?, timeout: Int?) throws -> CLIResult {
        let process = Process()
        if let timeout {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["--signal=KILL", String(timeout), executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes at once, so neither can fill and block the child.
        nonisolated(unsafe) var stderr = Data()
        let readErr = DispatchGroup()
        readErr.enter()
        // Its own thread, as BlockingWork.run explains (not Dispatch's global queue).
        Thread {
            stderr = err.fileHandleForReading.readDataToEndOfFile()
            readErr.leave()
        }.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        readErr.wait()
        process.waitUntilExit()
        return CLIResult(
            exitCode: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh temporary folder for one test.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension URL {
    func write(_ text: String) throws { try Data(text.utf8).write(to: self) }
}
