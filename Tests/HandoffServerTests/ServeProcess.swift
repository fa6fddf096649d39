import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The built `baton serve` binary as a child process, and a small HTTP client for it.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    /// The admin token printed on first start (nil on later starts).
    let printedToken: String?
    /// What the process printed up to its "listening" line.
    let startOutput: String

    /// `$BATON_BIN`, else `baton` beside the test bundle, else `.build/debug/baton`.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["BATON_BIN"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("baton"))
            folder.deleteLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/baton"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[candidates.count - 1]
    }()

    /// Starts `baton serve` and waits (up to 60 s) for its "listening" line; `environment` is
    /// added to the test's own.
    init(arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        var port: Int?
        let deadline = Date().addingTimeInterval(60)
        let handle = out.fileHandleForReading
        while port == nil, Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: #"listening on https?://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last ?? "")
            }
        }
        guard let port else {
            process.terminate()
            throw FixtureError("baton serve did not start: \(text)")
        }
        self.port = port
        startOutput = text
        printedToken = text.split(separator: "\n").first { $0.hasPrefix("admin token") }.flatMap { $0.split(separator: " ").last.map(String.init) }
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Starts `baton serve` on a thread of its own (the start blocks reading the child's output),
    /// so several can start at once without holding the test's cooperative threads.
    static func start(arguments: [String], environment: [String: String] = [:]) async throws -> ServeProcess {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try ServeProcess(arguments: arguments, environment: environment) })
            }
        }
    }

    /// POSTs JSON and returns the status (nil when the connection failed).
    func post(_ path: String, token: String, body: Data) async -> (status: Int, body: Data)? {
        await request("POST", path, token: token, body: body)
    }

    /// A request with the given headers and raw body (a vendor's delivery); nil when the connection failed.
    func send(_ method: String, _ path: String, headers: [String: String], body: Data) async -> (status: Int, body: Data)? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeoutInterval: 30)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// Any request; nil when the connection failed.
    func request(_ method: String, _ path: String, token: String?, body: Data? = nil) async -> (status: Int, body: Data)? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeoutInterval: 30)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
