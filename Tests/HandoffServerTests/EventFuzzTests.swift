import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import HandoffServer

/// Issue 20's bounded fuzz run: seeded mutations of valid events (byte flips, cuts, insertions,
/// hostile values in place of real ones) through the service. Zero 5xx, and afterwards the SQLite
/// file passes `PRAGMA integrity_check` (read by Python's own sqlite3, not by Baton) and every
/// acknowledged event is stored once. `BATON_FUZZ_EVENTS` sets the count (default 3000).
@Suite struct EventFuzzTests {
    /// Mutated events per run without `BATON_FUZZ_EVENTS` (the README quotes it).
    static let defaultCount = 3000
    static let seeds = [
        #"{"event_id": "s-1", "type": "lead_created", "lead_id": "F1", "occurred_at": "2026-03-02T10:00:00Z", "fields": {"company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 4, "demo_requests": 1}, "source": "webinar"}"#,
        #"{"event_id": "s-2", "type": "engagement", "lead_id": "F1", "occurred_at": "2026-03-02T10:05:00Z", "event_type": "pricing_page", "url": "/pricing"}"#,
        #"{"event_id": "s-3", "type": "contact_attempt", "lead_id": "F1", "occurred_at": "2026-03-02T10:20:00Z", "rep_id": "ana", "channel": "call", "outcome": "voicemail"}"#,
        #"{"event_id": "s-4", "type": "opportunity", "lead_id": "F1", "occurred_at": "2026-03-02T11:00:00Z", "opportunity_id": "O1", "amount": "12500.00", "currency": "EUR", "stage": "discovery"}"#,
        #"{"event_id": "s-5", "type": "won", "lead_id": "F1", "occurred_at": "2026-03-03T11:00:00Z", "opportunity_id": "O1", "amount": "12500.00", "close_date": "2026-03-03"}"#,
    ]
    static let hostile = [
        "\"\\u0000\"", "\"\\r\\nBcc: x\"", "1e300", "-1", "\"\"", "null", "true", "[]", "{}", "\"2026-02-30T10:00:00Z\"",
        "\"9999999-01-01T00:00:00Z\"",
        "\"92233720368547758.08\"", "\"" + String(repeating: "x", count: 5000) + "\"", "[[[[[[[[[[]]]]]]]]]]", "\"\\ud800\"", "0.1e-400", "\"F1\"",
        "\"s-1\"",
    ]

    @Test func mutatedEventsNeverAnswer5xxAndLeaveTheStoreIntact() async throws {
        let count = Int(ProcessInfo.processInfo.environment["BATON_FUZZ_EVENTS"] ?? "") ?? Self.defaultCount
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        var random = SplitMix64(seed: 20)
        let bodies: [[UInt8]] = (0..<count).map { i in
            var bytes = Array(Self.seeds[Int(random.next() % UInt64(Self.seeds.count))].utf8)
            for _ in 0..<(1 + Int(random.next() % 3)) { Self.mutate(&bytes, &random, serial: i) }
            return bytes
        }
        let (statuses, acknowledged) = try await app.test(.router) { client -> ([Int: Int], Set<String>) in
            var statuses: [Int: Int] = [:]
            var acknowledged = Set<String>()
            let ingest = ServiceFixture.auth(running.tokens[.ingest])
            for body in Self.seeds {
                _ = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ByteBuffer(string: body))
            }
            for (i, bytes) in bodies.enumerated() {
                let r = try await client.execute(uri: "/events", method: .post, headers: ingest, body: ByteBuffer(bytes: bytes))
                statuses[Int(r.status.code), default: 0] += 1
                #expect(r.status.code < 500, "mutation \(i): \(r.status) \(String(decoding: bytes.prefix(300), as: UTF8.self))")
                if r.status == .created, let id = ServiceFixture.json(r.body)["event_id"] as? String { acknowledged.insert(id) }
            }
            return (statuses, acknowledged)
        }
        #expect(statuses.keys.allSatisfy { $0 < 500 }, "\(statuses)")
        // The mutations reach every layer: refused as JSON or schema (400), by the flow (409/422), and applied (201/200).
        #expect(statuses[400, default: 0] > count / 10 && statuses[201, default: 0] > count / 100 && statuses[422, default: 0] > 0, "\(statuses)")
        print("fuzz: \(count) mutated events, answers \(statuses.sorted { $0.key < $1.key })")
        let db = running.files.db
        let python = try await BlockingWork.run {
            try PythonTooling.run(
                "/usr/bin/env",
                [
                    "python3", "-c",
                    "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('PRAGMA integrity_check').fetchone()[0]); print(c.execute('SELECT count(*), count(DISTINCT event_id) FROM engagement_events').fetchone())",
                    db,
                ])
        }
        #expect(python.status == 0 && python.output.hasPrefix("ok\n"), "\(python.output)")
        let stored = try await running.service.store.counts().events
        #expect(stored >= acknowledged.count + 1, "every acknowledged event is stored (\(acknowledged.count) acknowledged, \(stored) stored)")
    }

    static func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64, serial: Int) {
        guard !bytes.isEmpty else { return }
        let at = Int(random.next() % UInt64(bytes.count))
        switch random.next() % 6 {
        case 0: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << (random.next() % 8))
        case 1: bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(random.next() % 12)))
        case 2: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
        case 3:
            // A value replaced by a hostile one: after a `: `.
            if let colon = bytes[at...].firstIndex(of: UInt8(ascii: ":")) {
                let end = bytes[(colon + 1)...].firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") } ?? bytes.count
                bytes.replaceSubrange((colon + 1)..<end, with: Array((" " + hostile[Int(random.next() % UInt64(hostile.count))]).utf8))
            }
        case 4:
            // A fresh event id, so the mutation is applied rather than a duplicate.
            if let range = String(decoding: bytes, as: UTF8.self).range(of: #""s-\d""#, options: .regularExpression) {
                var text = String(decoding: bytes, as: UTF8.self)
                text.replaceSubrange(range, with: "\"f-\(serial)\"")
                bytes = Array(text.utf8)
            }
        default: bytes += bytes[at..<min(bytes.count, at + Int(random.next() % 40))]
        }
    }
}
