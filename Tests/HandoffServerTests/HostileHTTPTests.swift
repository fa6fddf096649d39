import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HandoffServer

/// Issue 20's adversarial suite for the service, as one table: each hostile request with the
/// status it must get and a word its answer must hold (the field, the code or the reason). After
/// the whole table the store holds exactly what the good requests stored: no case crashes the
/// service, answers 500, or changes what is already stored.
@Suite(.serialized) struct HostileHTTPTests {
    enum Who { case none, ingest, sales, marketing, admin }

    struct Case: CustomStringConvertible {
        let name: String
        let method: HTTPRequest.Method
        let path: String
        let who: Who
        let body: String?
        let status: HTTPResponse.Status
        let says: String
        var description: String { name }
    }

    static let fields = #"{"company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 4}"#

    static func json(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    static func event(_ overrides: [String: Any], type: String = "engagement", drop: [String] = []) -> String {
        var e: [String: Any] = ["event_id": "h-\(UUID().uuidString.prefix(8))", "type": type, "lead_id": "L1", "occurred_at": "2026-03-02T11:00:00Z"]
        switch type {
        case "engagement": e["event_type"] = "webinar_attended"
        case "contact_attempt": e.merge(["rep_id": "ana", "channel": "call", "outcome": "voicemail"]) { a, _ in a }
        case "disposition": e.merge(["rep_id": "ana", "code": "bad_timing"]) { a, _ in a }
        case "opportunity": e.merge(["opportunity_id": "O1", "amount": "100.00", "currency": "EUR", "stage": "discovery"]) { a, _ in a }
        case "won": e.merge(["opportunity_id": "O1", "amount": "100.00", "close_date": "2026-03-10"]) { a, _ in a }
        case "lead_created", "lead_updated":
            e["fields"] = (try? JSONSerialization.jsonObject(with: Data(fields.utf8))) ?? [:]
        default: break
        }
        for (k, v) in overrides { e[k] = v }
        for k in drop { e.removeValue(forKey: k) }
        return json(e)
    }

    static let badIDs: [(String, String)] = [
        ("NUL", "L\u{0}x"), ("CR", "L\rx"), ("LF", "L\nBcc: x"), ("tab", "L\tx"), ("DEL", "L\u{7F}"), ("C1", "L\u{85}"),
        ("line separator", "L\u{2028}x"), ("257 bytes", String(repeating: "a", count: 257)), ("500 KB", String(repeating: "b", count: 500_000)),
        ("empty", ""), ("spaces", "   "),
        ("trailing NUL", "L1\u{0}"), ("ESC", "L\u{1B}[31m"), ("BEL", "L\u{07}"), ("vertical tab", "L\u{0B}"),
    ]

    static let badTimes = [
        "2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "9999999-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-13-01T00:00:00Z",
        "2026-03-02T24:00:00Z", "2026-03-02T14:60:00Z", "2026-03-02T14:05:60Z", "2026-03-02T14:05:00", "2026-03-02 14:05:00Z",
        "2026-3-2T14:05:00Z", "2026-03-02T14:05:00+0200", "tomorrow", "1772460300",
    ]

    static var cases: [Case] {
        var c: [Case] = []
        for (label, id) in badIDs {
            c.append(
                Case(
                    name: "event_id \(label)", method: .post, path: "/events", who: .ingest, body: event(["event_id": id]), status: .badRequest,
                    says: "event_id"))
            c.append(
                Case(
                    name: "lead_id \(label)", method: .post, path: "/events", who: .ingest, body: event(["lead_id": id], type: "lead_created"),
                    status: .badRequest, says: "lead_id"))
            c.append(
                Case(
                    name: "rep_id \(label)", method: .post, path: "/events", who: .ingest, body: event(["rep_id": id], type: "contact_attempt"),
                    status: .badRequest, says: "rep_id"))
            c.append(
                Case(
                    name: "opportunity_id \(label)", method: .post, path: "/events", who: .ingest,
                    body: event(["opportunity_id": id], type: "opportunity"), status: .badRequest, says: "opportunity_id"))
        }
        for time in badTimes {
            c.append(
                Case(
                    name: "occurred_at \(time)", method: .post, path: "/events", who: .ingest, body: event(["occurred_at": time]),
                    status: .badRequest, says: "RFC 3339"))
        }
        for date in ["2026-02-30", "2026-04-31", "10000-01-01", "2026-03-10T10:00:00"] {
            c.append(
                Case(
                    name: "close_date \(date)", method: .post, path: "/events", who: .ingest, body: event(["close_date": date], type: "won"),
                    status: .badRequest, says: "close_date"))
        }
        for amount in ["-1", "abc", "1,5", "0x10", "NaN", "1e3"] {
            c.append(
                Case(
                    name: "amount \(amount)", method: .post, path: "/events", who: .ingest, body: event(["amount": amount], type: "opportunity"),
                    status: .badRequest, says: "amount"))
        }
        for amount in ["1.234", "92233720368547758.08", "1000000000000000", "10000000000000000000000000000000000000000"] {
            c.append(
                Case(
                    name: "amount \(amount)", method: .post, path: "/events", who: .ingest, body: event(["amount": amount], type: "opportunity"),
                    status: .unprocessableContent, says: "amount"))
        }
        for (label, body) in [
            ("empty body", ""), ("whitespace", "  \n "), ("open brace", "{"), ("open bracket", "["), ("missing value", #"{"a":}"#),
            ("bare word", "nul"),
            ("missing comma", #"{"event_id": "e" "type": 1}"#), ("600 deep", String(repeating: "[", count: 600) + String(repeating: "]", count: 600)),
        ] {
            c.append(Case(name: "JSON \(label)", method: .post, path: "/events", who: .ingest, body: body, status: .badRequest, says: "(body)"))
        }
        c += [
            Case(
                name: "unknown type", method: .post, path: "/events", who: .ingest, body: event(["type": "teleport"]), status: .badRequest,
                says: "is not an event type"),
            Case(name: "type is a number", method: .post, path: "/events", who: .ingest, body: event(["type": 7]), status: .badRequest, says: "type"),
            Case(name: "no type", method: .post, path: "/events", who: .ingest, body: event([:], drop: ["type"]), status: .badRequest, says: "type"),
            Case(
                name: "no event_id", method: .post, path: "/events", who: .ingest, body: event([:], drop: ["event_id"]), status: .badRequest,
                says: "event_id"),
            Case(
                name: "no occurred_at", method: .post, path: "/events", who: .ingest, body: event([:], drop: ["occurred_at"]), status: .badRequest,
                says: "occurred_at"),
            Case(
                name: "lead_created without fields", method: .post, path: "/events", who: .ingest,
                body: event(["lead_id": "L9"], type: "lead_created", drop: ["fields"]), status: .badRequest, says: "fields"),
            Case(
                name: "fields not an object", method: .post, path: "/events", who: .ingest,
                body: event(["lead_id": "L9", "fields": [1, 2]], type: "lead_created"), status: .badRequest, says: "fields"),
            Case(
                name: "engagement without event_type", method: .post, path: "/events", who: .ingest, body: event([:], drop: ["event_type"]),
                status: .badRequest, says: "event_type"),
            Case(
                name: "reserved engagement type", method: .post, path: "/events", who: .ingest, body: event(["event_type": "won"]),
                status: .unprocessableContent, says: "event_type"),
            Case(
                name: "unknown channel", method: .post, path: "/events", who: .ingest, body: event(["channel": "pigeon"], type: "contact_attempt"),
                status: .unprocessableContent, says: "channel"),
            Case(
                name: "unknown rep", method: .post, path: "/events", who: .ingest, body: event(["rep_id": "zed"], type: "contact_attempt"),
                status: .unprocessableContent, says: "rep_id"),
            Case(
                name: "unknown lead", method: .post, path: "/events", who: .ingest, body: event(["lead_id": "L404"]), status: .unprocessableContent,
                says: "lead_id"),
            Case(
                name: "engagement before its lead", method: .post, path: "/events", who: .ingest,
                body: event(["occurred_at": "2026-03-01T09:00:00Z"]), status: .unprocessableContent, says: "occurred_at"),
            Case(
                name: "number 1e300 in a raw feature", method: .post, path: "/events", who: .ingest,
                body: event(
                    ["lead_id": "L7", "fields": ["company_size": "1000+", "budget_authority": "yes", "email_opens": "1e300"]], type: "lead_created"),
                status: .unprocessableContent, says: "10^15"),
            Case(
                name: "number 1e16 in a raw feature", method: .post, path: "/events", who: .ingest,
                body: event(
                    ["lead_id": "L8", "fields": ["company_size": "1000+", "budget_authority": "yes", "email_opens": 1e16]], type: "lead_created"),
                status: .unprocessableContent, says: "10^15"),
            Case(
                name: "reused event id, other lead", method: .post, path: "/events", who: .ingest,
                body: event(["event_id": "good-1", "lead_id": "L2"], type: "lead_created"), status: .conflict, says: "event_id_conflict"),
            Case(
                name: "reused event id, other content", method: .post, path: "/events", who: .ingest,
                body: event(["event_id": "good-2", "event_type": "pricing_page"]), status: .conflict, says: "event_id_conflict"),
            Case(name: "batch of nothing", method: .post, path: "/events", who: .ingest, body: "[]", status: .badRequest, says: "empty batch"),
            Case(
                name: "batch too large", method: .post, path: "/events", who: .ingest,
                body: "[" + (0...1000).map { _ in event([:]) }.joined(separator: ",") + "]", status: .contentTooLarge, says: "batch_too_large"),
            Case(
                name: "body over the limit", method: .post, path: "/events", who: .ingest, body: "[" + String(repeating: " ", count: 2 << 20) + "]",
                status: .contentTooLarge, says: "body_too_large"),
        ]
        for (method, path) in [
            (HTTPRequest.Method.delete, "/events"), (.put, "/events"), (.get, "/events"), (.patch, "/leads/L1"), (.post, "/leads/L1"),
            (.trace, "/health"),
            (.post, "/health"), (.delete, "/models"), (.put, "/tokens"), (.post, "/sla"), (.post, "/metrics"), (.get, "/models/rollback"),
            (.get, "/dashboard/session"),
        ] {
            c.append(
                Case(
                    name: "\(method) \(path)", method: method, path: path, who: .admin, body: nil, status: .methodNotAllowed,
                    says: "method_not_allowed"))
        }
        for (method, path) in [
            (HTTPRequest.Method.post, "/events"), (.get, "/leads/L1"), (.get, "/reps/ana/handoffs"), (.get, "/sla"), (.get, "/models"),
            (.post, "/models"),
            (.post, "/models/rollback"), (.get, "/tokens"), (.post, "/tokens"), (.delete, "/tokens/sales"), (.get, "/metrics"),
            (.get, "/openapi.yaml"), (.get, "/dashboard"),
        ] {
            c.append(
                Case(
                    name: "no token \(method) \(path)", method: method, path: path, who: .none, body: "{}", status: .unauthorized,
                    says: "unauthorized"))
        }
        for (who, method, path) in [
            (Who.sales, HTTPRequest.Method.post, "/events"), (.marketing, .post, "/events"), (.ingest, .get, "/leads/L1"), (.ingest, .get, "/tokens"),
            (.sales, .post, "/tokens"), (.marketing, .delete, "/tokens/sales"), (.sales, .post, "/models"), (.marketing, .post, "/models/rollback"),
            (.sales, .get, "/metrics"),
            (.ingest, .get, "/dashboard"),
        ] {
            c.append(Case(name: "\(who) \(method) \(path)", method: method, path: path, who: who, body: "{}", status: .forbidden, says: "forbidden"))
        }
        for path in [
            "/leads/L%00x", "/leads/L%0D%0Ax", "/leads/%ZZ", "/leads/" + String(repeating: "a", count: 300), "/reps/%00/handoffs",
            "/reps/%E0%A4%A/handoffs",
        ] {
            c.append(
                Case(name: "path \(path.prefix(30))", method: .get, path: path, who: .sales, body: nil, status: .badRequest, says: "path parameter"))
        }
        c.append(
            Case(
                name: "token name path NUL", method: .delete, path: "/tokens/a%00b", who: .admin, body: nil, status: .badRequest,
                says: "path parameter"))
        for (label, name) in [("empty", ""), ("NUL", "a\u{0}b"), ("CR", "a\rb"), ("65 characters", String(repeating: "n", count: 65))] {
            c.append(
                Case(
                    name: "token name \(label)", method: .post, path: "/tokens", who: .admin, body: json(["name": name, "role": "ingest"]),
                    status: .badRequest, says: "name"))
        }
        c.append(
            Case(
                name: "token role unknown", method: .post, path: "/tokens", who: .admin, body: json(["name": "x", "role": "owner"]),
                status: .badRequest, says: "role"))
        c.append(
            Case(
                name: "token name taken", method: .post, path: "/tokens", who: .admin, body: json(["name": "sales", "role": "ingest"]),
                status: .conflict, says: "token_exists"))
        for token in ["x%3B%20Domain%3Devil.example", "bt_" + String(repeating: "0", count: 64), "bt_%0D%0ASet-Cookie:%20a=b"] {
            c.append(
                Case(
                    name: "dashboard token \(token.prefix(20))", method: .get, path: "/dashboard?token=\(token)", who: .none, body: nil,
                    status: .unauthorized, says: "not a known token"))
        }
        c.append(Case(name: "dashboard week", method: .get, path: "/dashboard?week=soon", who: .sales, body: nil, status: .badRequest, says: "week"))
        c.append(
            Case(
                name: "model upload not JSON", method: .post, path: "/models", who: .admin, body: "not json", status: .unprocessableContent,
                says: "error"))
        c.append(
            Case(
                name: "promote unknown model", method: .post, path: "/models/\(String(repeating: "0", count: 64))/promote", who: .admin, body: nil,
                status: .notFound, says: "not_found"))
        return c
    }

    @Test func everyHostileRequestGetsItsStatusAndReasonAndStoresNothing() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let table = Self.cases
        #expect(table.count >= 165)
        try await app.test(.router) { client in
            // What the good requests store: a lead and two events.
            for body in [
                Self.event(["event_id": "good-1", "occurred_at": "2026-03-02T10:00:00Z"], type: "lead_created"),
                Self.event(["event_id": "good-2", "occurred_at": "2026-03-02T10:05:00Z"]),
            ] {
                let r = try await client.execute(
                    uri: "/events", method: .post, headers: ServiceFixture.auth(running.tokens[.ingest]), body: ByteBuffer(string: body))
                try #require(r.status == .created, "\(String(buffer: r.body))")
            }
            let before = try await running.service.store.counts()
            for entry in table {
                var headers: HTTPFields = [.contentType: "application/json"]
                let token: String? =
                    switch entry.who {
                    case .none: nil
                    case .ingest: running.tokens[.ingest]
                    case .sales: running.tokens[.sales]
                    case .marketing: running.tokens[.marketing]
                    case .admin: running.tokens[.admin]
                    }
                if let token { headers[.authorization] = "Bearer \(token)" }
                let r = try await client.execute(
                    uri: entry.path, method: entry.method, headers: headers, body: entry.body.map { ByteBuffer(string: $0) })
                let text = String(buffer: r.body)
                #expect(r.status == entry.status, "\(entry.name): \(r.status) \(text.prefix(300))")
                #expect(text.contains(entry.says), "\(entry.name): the answer does not say \"\(entry.says)\": \(text.prefix(300))")
                #expect(r.status.code < 500, "\(entry.name)")
            }
            #expect(try await running.service.store.counts() == before)
        }
    }
}
