import Foundation
import HTTPTypes
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /leads` (issue 21 item 16): the flow read from outside, parked leads included, a page at a time.
@Suite struct LeadListRouteTests {
    static func lead(_ id: String, at: String, region: String, size: String = "1000+") -> ByteBuffer {
        ServiceFixture.body(
            ServiceFixture.event(
                "c-\(id)", "lead_created", lead: id, at: at,
                ["fields": ["company_size": size, "budget_authority": "yes", "region": region, "email_opens": 2, "demo_requests": 0]]))
    }

    @Test func filtersPagesAndRefusalsNameTheParameter() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let ingest = ServiceFixture.auth(running.tokens[.ingest])
            for (id, at, region, size) in [
                ("L1", "2026-03-02T10:00:00Z", "na", "1000+"), ("L2", "2026-03-02T10:01:00Z", "apac", "1000+"),
                ("L3", "2026-03-02T10:02:00Z", "emea", "1-10"),
            ] {
                let r = try await client.execute(
                    uri: "/events", method: .post, headers: ingest, body: Self.lead(id, at: at, region: region, size: size))
                #expect(r.status == .created, "\(String(buffer: r.body))")
            }
            let sales = ServiceFixture.auth(running.tokens[.sales])
            func list(_ query: String) async throws -> (HTTPResponse.Status, [String: Any], HTTPFields) {
                let r = try await client.execute(uri: "/leads\(query)", method: .get, headers: sales)
                return (r.status, ServiceFixture.json(r.body), r.headers)
            }
            func ids(_ body: [String: Any]) -> [String] { (body["leads"] as? [[String: Any]] ?? []).compactMap { $0["lead_id"] as? String } }

            let (status, all, _) = try await list("")
            #expect(status == .ok && ids(all) == ["L1", "L2", "L3"] && all["count"] as? Int == 3)
            #expect(all["next_cursor"] is NSNull)
            let first = try #require((all["leads"] as? [[String: Any]])?.first)
            #expect(first["stage"] as? String == "sql" && first["points"] is Double && first["last_activity_at"] is String)
            #expect((first["owner"] as? [String: Any])?["kind"] as? String == "rep" && (first["owner"] as? [String: Any])?["id"] as? String == "ana")

            // The parked leads, by their queue.
            let (_, parked, _) = try await list("?owner=sales-triage")
            #expect(ids(parked) == ["L2"])
            #expect((parked["filters"] as? [String: Any])?["owner"] as? String == "sales-triage")
            #expect(ids(try await list("?stage=sql").1) == ["L1", "L2"])
            #expect(ids(try await list("?stage=sql&owner=ana").1) == ["L1"])
            #expect(ids(try await list("?since=2030-01-01").1) == [])

            // Pages of one, through next_cursor and the Link header.
            let (_, page1, headers1) = try await list("?stage=sql&limit=1")
            #expect(ids(page1) == ["L1"])
            let cursor = try #require(page1["next_cursor"] as? String)
            let link = try #require(headers1[.link])
            #expect(link == "</leads?stage=sql&limit=1&cursor=\(cursor)>; rel=\"next\"")
            let (_, page2, headers2) = try await list("?stage=sql&limit=1&cursor=\(cursor)")
            #expect(ids(page2) == ["L2"] && headers2[.link] == nil && page2["next_cursor"] is NSNull)

            // Refusals: 400 naming the parameter.
            for (query, field) in [
                ("?stage=hot", "stage"), ("?limit=0", "limit"), ("?limit=501", "limit"), ("?limit=ten", "limit"),
                ("?since=yesterday", "since"), ("?colour=red", "colour"),
            ] {
                let (status, body, _) = try await list(query)
                #expect(status == .badRequest, "\(query)")
                #expect((body["error"] as? [String: Any])?["field"] as? String == field, "\(query): \(body)")
            }
            let (cursorStatus, cursorBody, _) = try await list("?cursor=not-ours")
            #expect(cursorStatus == .unprocessableContent && (cursorBody["error"] as? [String: Any])?["field"] as? String == "cursor")
            let asIngest = try await client.execute(uri: "/leads", method: .get, headers: ingest)
            #expect(asIngest.status == .forbidden)
            let asMarketing = try await client.execute(uri: "/leads", method: .get, headers: ServiceFixture.auth(running.tokens[.marketing]))
            #expect(asMarketing.status == .ok)
        }
    }
}
