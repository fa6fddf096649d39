import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import HandoffServer

/// Issue 20: schemathesis (an independent, property-based API tester, in a venv like the PMML
/// references) against the running service and its own OpenAPI document, every check, bounded
/// examples, a fixed seed: zero failures. Strings are generated in ASCII because JSON Schema's
/// `maxLength` counts characters while the id rule counts UTF-8 bytes (256); non-ASCII ids and
/// fields are covered by HostileHTTPTests and EventFuzzTests. A 422 is a positive answer: the
/// flow refuses schema-valid events for state it cannot see in the schema (an unknown lead).
@Suite struct SchemathesisTests {
    static let config = """
        [checks.positive_data_acceptance]
        expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422"]
        """

    @Test func theServiceMatchesItsOwnOpenAPIDocument() async throws {
        let python = try await PythonTooling.offPool { try PythonTooling.venv(packages: ["schemathesis"]) }
        let cli = python.deletingLastPathComponent().appendingPathComponent("schemathesis")
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: running.service.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var port = 0
        for await p in stream {
            port = p
            break
        }
        let config = running.files.folder.appendingPathComponent("schemathesis.toml")
        try Self.config.write(to: config, atomically: true, encoding: .utf8)
        let admin = running.tokens[.admin] ?? ""
        let examples = ProcessInfo.processInfo.environment["BATON_SCHEMATHESIS_EXAMPLES"] ?? "15"
        let base = "http://127.0.0.1:\(port)"
        let result = try await PythonTooling.offPool {
            try PythonTooling.run(
                cli.path,
                [
                    "--config-file", config.path, "run", "\(base)/openapi.yaml", "--url", base,
                    "-H", "Authorization: Bearer \(admin)", "--checks", "all", "--max-examples", examples, "--workers", "1", "--seed", "1",
                    "--generation-codec", "ascii", "--no-color",
                    // A slow answer under the whole suite's load on two cores is not a failure; a hang still is.
                    "--request-timeout", "60",
                ])
        }
        let summary = result.output.components(separatedBy: "\n").filter { $0.contains("generated") || $0.contains("passed") }.joined(separator: "; ")
        print("schemathesis: \(summary)")
        #expect(result.status == 0, "schemathesis found failures:\n\(result.output.suffix(6000))")
        #expect(result.output.contains("passed"))
    }
}
