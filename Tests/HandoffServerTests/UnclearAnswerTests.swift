import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HandoffServer

/// Issue 20's "unclear answers": every refusal says where and why, with the right status.
@Suite struct UnclearAnswerTests {
    @Test func badJSONSaysWhereAndEmptyBodiesSayWhat() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        try await app.test(.router) { client in
            func post(_ text: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                let r = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ByteBuffer(string: text))
                return (r.status, (ServiceFixture.json(r.body)["error"] as? [String: Any]) ?? [:])
            }
            let (status, error) = try await post("{\"event_id\": \"e1\",\n \"type\": lead_created}")
            #expect(status == .badRequest && error["code"] as? String == "invalid_json")
            #expect((error["message"] as? String)?.contains("line 2, column 10") == true, "\(error)")
            let (emptyStatus, empty) = try await post("  \n")
            #expect(emptyStatus == .badRequest && (empty["message"] as? String)?.contains("is empty") == true)
            let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
            let (deepStatus, deepError) = try await post(deep)
            #expect(deepStatus == .badRequest && (deepError["message"] as? String)?.contains("nested deeper than 512") == true, "\(deepError)")
            // Valid JSON of the wrong shape still names the field.
            let (shapeStatus, shape) = try await post("{\"event_id\": \"e1\"}")
            #expect(shapeStatus == .badRequest && shape["field"] as? String != "(body)")
        }
    }

    @Test func aKnownPathWithAnotherMethodIs405WithAllow() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let admin = ServiceFixture.auth(running.tokens[.admin])
        try await app.test(.router) { client in
            let delete = try await client.execute(uri: "/events", method: .delete, headers: admin)
            #expect(delete.status == .methodNotAllowed && delete.headers[.allow] == "POST")
            #expect((ServiceFixture.json(delete.body)["error"] as? [String: Any])?["code"] as? String == "method_not_allowed")
            let trace = try await client.execute(uri: "/health", method: .trace)
            #expect(trace.status == .methodNotAllowed && trace.headers[.allow] == "GET, HEAD")
            #expect(try await client.execute(uri: "/leads/L1", method: .post, headers: admin).status == .methodNotAllowed)
            #expect(try await client.execute(uri: "/nowhere", method: .delete, headers: admin).status == .notFound)
            // A route added after the 405 table was written by hand (issue 17's) is in it too.
            let action = try await client.execute(uri: "/actions/x", method: .delete, headers: admin)
            #expect(action.status == .methodNotAllowed && action.headers[.allow] == "GET, POST, HEAD")
            // Every route is served with its methods (never 404 or 405 from routing).
            for route in running.service.router().routes {
                let path = "\(route.path)".replacingOccurrences(of: "{id}", with: "L1").replacingOccurrences(of: "{sha}", with: "0")
                    .replacingOccurrences(of: "{name}", with: "nobody").replacingOccurrences(of: "{token}", with: "x")
                for method in [route.method] {
                    let r = try await client.execute(uri: path, method: method, headers: admin)
                    #expect(r.status != .methodNotAllowed, "\(method) \(path)")
                    if r.status == .notFound && path == "/integrations/salesforce" {
                        // Salesforce is answered in SOAP: an unconfigured integration is a fault saying so.
                        #expect(String(buffer: r.body).contains("<faultstring>integration_not_configured: "), "\(method) \(path)")
                    } else if r.status == .notFound && path.hasPrefix("/actions/") {
                        // A button pressed on a phone gets a page saying the action is unknown (ActionRoutes).
                        #expect(r.headers[.contentType]?.hasPrefix("text/html") == true, "\(method) \(path)")
                    } else if r.status == .notFound {
                        // Only a domain 404 (a JSON error naming the missing thing), never "no route".
                        #expect((ServiceFixture.json(r.body)["error"] as? [String: Any])?["code"] as? String == "not_found", "\(method) \(path)")
                    }
                }
            }
        }
    }

    @Test func anOversizedBodyIs413WithAJSONReason() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let ingest = ServiceFixture.auth(running.tokens[.ingest])
        try await app.test(.router) { client in
            let big = ByteBuffer(string: "[" + String(repeating: " ", count: 2 << 20) + "]")
            let r = try await client.execute(uri: "/events", method: .post, headers: ingest, body: big)
            #expect(r.status == .contentTooLarge)
            #expect((ServiceFixture.json(r.body)["error"] as? [String: Any])?["code"] as? String == "body_too_large")
        }
    }
}
