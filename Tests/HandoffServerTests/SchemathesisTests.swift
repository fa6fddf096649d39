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
    /// A batch on `POST /events` answers 200 with a result per element, a malformed element
    /// rejected in its own result (IngestTests, README "Ingest"): for this one operation a 200 is
    /// a rejection too. A single malformed event is a 400, and a batch of nothing but malformed ones.
    static let config = """
        [checks.positive_data_acceptance]
        expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422"]

        [[operations]]
        include-path = "/events"
        include-method = "POST"

        [operations.checks.negative_data_rejection]
        expected-statuses = ["200", "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
        """

    @Test func theServiceMatchesItsOwnOpenAPIDocument() async throws {
        let python = try await BlockingWork.run { try PythonTooling.venv(packages: ["schemathesis"]) }
        let cli = python.deletingLastPathComponent().appendingPathComponent("schemathesis")
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let (port, server) = await ServiceFixture.listen(running.service)
        defer { server.cancel() }
        let config = running.files.folder.appendingPathComponent("schemathesis.toml")
        try Self.config.write(to: config, atomically: true, encoding: .utf8)
        // The document the service serves, read from a file: loading it over HTTP has its own 10 s
        // timeout, which the whole suite's load on two cores can exceed (OpenAPITests checks the route serves it).
        let document = running.files.folder.appendingPathComponent("openapi.yaml")
        try OpenAPIDocument.yaml.write(to: document, atomically: true, encoding: .utf8)
        let admin = running.tokens[.admin] ?? ""
        let examples = ProcessInfo.processInfo.environment["BATON_SCHEMATHESIS_EXAMPLES"] ?? "15"
        let base = "http://127.0.0.1:\(port)"
        let result = try await BlockingWork.run {
            try PythonTooling.run(
                cli.path,
                [
                    "--config-file", config.path, "run", document.path, "--url", base,
                    "-H", "Authorization: Bearer \(admin)", "--checks", "all", "--max-examples", examples, "--workers", "1", "--seed", "1",
                    "--generation-codec", "ascii", "--no-color",
                    // A slow answer under the whole suite's load on two cores is not a failure; a hang still is.
                    "--request-timeout", "60",
                ])
        }
        let summary = result.output.components(separatedBy: "\n").filter { $0.contains("generated") || $0.contains("passed") }.joined(separator: "; ")
        print("schemathesis: \(summary)")
        // The failures section (each with its curl reproduction) is what a developer needs; the tail otherwise.
        let failures = result.output.range(of: "= FAILURES =").map { String(result.output[$0.lowerBound...].prefix(12000)) }
        #expect(result.status == 0, "schemathesis found failures:\n\(failures ?? String(result.output.suffix(6000)))")
        #expect(result.output.contains("passed"))
    }
}
