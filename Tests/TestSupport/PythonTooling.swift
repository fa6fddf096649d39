import Foundation
import Testing

/// A Python virtual environment for tests that need an independent tool (pypmml, xmlschema).
///
/// Reused from `$BATON_TEST_VENV` when set, else created once under the system temp directory
/// (`baton-test-venv`) and filled with `pip install`; a missing python3 or a failed install is a test
/// failure with the pip output, never a silent pass.
package enum PythonTooling {
    /// One install at a time: suites run in parallel and share the venv.
    private static let installLock = NSLock()

    package static func venv(packages: [String]) throws -> URL {
        installLock.lock()
        defer { installLock.unlock() }
        let root =
            ProcessInfo.processInfo.environment["BATON_TEST_VENV"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("baton-test-venv")
        let python = root.appendingPathComponent("bin/python")
        if !FileManager.default.fileExists(atPath: python.path) {
            let (status, output) = try run("/usr/bin/env", ["python3", "-m", "venv", root.path])
            try #require(status == 0, "could not create a Python venv at \(root.path) (python3 -m venv): \(output)")
        }
        let listed = listedReferences()
        for package in packages where !listed.contains(moduleName(package)) {
            Issue.record("Python package \(package) is not in Tests/python-references.txt; add it, so CI installs it before the suite")
        }
        // A package with a version requirement (`cloudevents>=2.2`) is always handed to pip, which
        // does nothing when it is met; the others only when they do not import.
        let pinned = packages.contains { $0.contains(where: { "<>=!~".contains($0) }) }
        let check = try run(python.path, ["-c", "import " + packages.map(moduleName).joined(separator: ", ")])
        if check.status != 0 || pinned {
            let (status, output) = try run(python.path, ["-m", "pip", "install", "--quiet"] + packages)
            try #require(status == 0, "pip install \(packages.joined(separator: " ")) failed; these tests need them (and Java for pypmml): \(output)")
        }
        return python
    }

    /// Runs a program, returning its exit status and standard output + error.
    package static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The import names of the packages Tests/python-references.txt lists (found from this file's path).
    private static func listedReferences() -> Set<String> {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("python-references.txt")
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return Set(
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }.map(moduleName))
    }

    private static func moduleName(_ requirement: String) -> String {
        let package = String(requirement.prefix { !"<>=!~[ ".contains($0) })
        // Distributions whose import name is not their name with dashes as underscores.
        let imports = [
            "websocket-client": "websocket", "scikit-learn": "sklearn", "pyyaml": "yaml", "hubspot-api-client": "hubspot", "webvtt-py": "webvtt",
        ]
        return imports[package] ?? package.replacingOccurrences(of: "-", with: "_")
    }
}
