import Foundation
import TestSupport
import Testing

/// Independent readings of the raw Olist files: a Python script (csv module) run in the test
/// set-up with the MQL and closed-deals paths as arguments, its JSON output decoded.
enum PythonReading {
    /// Waits off the cooperative pool (``BlockingWork/run(_:)``).
    static func olist<T: Decodable>(_ script: String, as type: T.Type) async throws -> T {
        let data = try await BlockingWork.run { try run(script) }
        return try JSONDecoder().decode(T.self, from: data)
    }

    private static func run(_ script: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, SharedData.olistLeads.path, SharedData.olistDeals.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 failed on the Olist files")
        return data
    }
}
