import Foundation
import HandoffServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct OpenAPITests {
    /// `path -> methods` read from the document's `paths:` block by indentation.
    static func documentedOperations() -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        var inPaths = false
        var current: String?
        for line in OpenAPIDocument.yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                current = String(line.dropFirst(2).dropLast())
                result[current ?? "", default: []] = []
            } else if let current, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                result[current, default: []].insert(String(line.dropFirst(4).dropLast()))
            }
        }
        return result
    }

    @Test func everyRouteOfTheRouterIsInTheDocumentAndNothingElse() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let routes = running.service.router().routes
        let documented = Self.documentedOperations()
        var fromRouter: [String: Set<String>] = [:]
        for route in routes {
            fromRouter["\(route.path)", default: []].insert(route.method.rawValue.lowercased())
        }
        #expect(!fromRouter.isEmpty)
        #expect(fromRouter == documented)
    }

    @Test func theEventSchemaRequiresWhatTheDecoderRequires() async throws {
        // The document says event_id, type, occurred_at and lead_id are required: each one left
        // out of an otherwise valid event is refused with that field named.
        let requiredLine = try #require(
            OpenAPIDocument.yaml.split(separator: "\n").first { $0.contains("required: [event_id, type, occurred_at, lead_id]") })
        #expect(!requiredLine.isEmpty)
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        try await app.test(.router) { client in
            for field in ["event_id", "type", "occurred_at", "lead_id"] {
                var event = IngestTests.created
                event.removeValue(forKey: field)
                let r = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(event))
                #expect(r.status == .badRequest)
                #expect((ServiceFixture.json(r.body)["error"] as? [String: Any])?["field"] as? String == field)
            }
            // Wrong type: a number where text is required names the member too.
            var event = IngestTests.created
            event["event_id"] = 12
            let r = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(event))
            #expect((ServiceFixture.json(r.body)["error"] as? [String: Any])?["field"] as? String == "event_id")
            // The document is served.
            let doc = try await client.execute(uri: "/openapi.yaml", method: .get, headers: ingest)
            #expect(String(buffer: doc.body) == OpenAPIDocument.yaml)
        }
    }

    @Test func metricsAreInPrometheusTextFormat() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let ingest = ServiceFixture.auth(running.tokens[.ingest])
            _ = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(IngestTests.created))
            _ = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ServiceFixture.body(IngestTests.created))
            let r = try await client.execute(uri: "/metrics", method: .get, headers: ServiceFixture.auth(running.tokens[.admin]))
            #expect(r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: r.body)
            #expect(text.contains("baton_events_total{type=\"lead_created\",outcome=\"applied\"} 1\n"))
            #expect(text.contains("baton_events_total{type=\"lead_created\",outcome=\"duplicate\"} 1\n"))
            #expect(text.contains("baton_ingest_seconds_count 2\n"))
            #expect(text.contains("baton_alert_queue_depth 1\n"))
            // Every sample line is `name{labels} number` and belongs to a declared family.
            var families = Set<String>()
            for line in text.split(separator: "\n") {
                if line.hasPrefix("# TYPE ") {
                    families.insert(String(line.split(separator: " ")[2]))
                    continue
                }
                if line.hasPrefix("#") { continue }
                let parts = line.split(separator: " ")
                #expect(parts.count == 2 && Double(parts[1]) != nil, "\(line)")
                let name = String(parts[0].prefix { $0 != "{" })
                let family = ["_bucket", "_sum", "_count"].reduce(name) {
                    $0.hasSuffix($1) && !families.contains($0) ? String($0.dropLast($1.count)) : $0
                }
                #expect(families.contains(family), "\(name)")
            }
        }
    }
}
