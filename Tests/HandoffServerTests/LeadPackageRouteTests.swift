import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffServer
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /leads/{id}`: the engine's hand-off package (JSON and Markdown) beside the route's old keys.
@Suite struct LeadPackageRouteTests {
    static func created(_ id: String, lead: String, _ fields: [String: String]) -> InboundEvent {
        InboundEvent(
            eventID: id, kind: .leadCreated, occurredAt: ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z") ?? .distantPast,
            leadID: lead, body: .lead(.init(fields: fields, source: "webinar", campaign: "spring")))
    }

    static let person = [
        "first_name": "Ada", "last_name": "Byron", "company": "Analytical Engines", "email": "ada@example.com",
        "marketing_owner_email": "grace@baton.example", "marketing_owner_name": "Grace Hopper",
    ]

    static func object(_ bytes: [UInt8]) -> NSDictionary {
        ((try? JSONSerialization.jsonObject(with: Data(bytes))) as? NSDictionary) ?? [:]
    }

    @Test func routeReturnsThePackageTheEngineBuiltAtHandOff() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        // SQL (fit_and_budget) and high intent (demo_requests 1): handed to ana (region na).
        let fields = ["company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": "4", "demo_requests": "1"]
        let applied = try await running.service.runtime.current().apply(Self.created("e-1", lead: "L1", fields.merging(Self.person) { _, b in b }))
        let live = try #require(applied.packages.first)
        #expect(live.slaDeadline == "2026-03-02T11:00:00Z")  // high: 1 business hour, every hour is business time
        #expect(live.emailDraft?.from == "Grace Hopper <grace@baton.example>")
        // Read later, the package also carries the score it was handed off on and the latest one,
        // the same score until the lead is rescored.
        var read = live
        let handedOffAt = ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z") ?? .distantPast
        read.scoreAtHandoff = .init(
            points: live.score.points, probability: live.score.probability, scoredAt: handedOffAt, modelChecksum: live.score.modelChecksum)
        read.scoreNow = read.scoreAtHandoff
        // And the lead's account as it is when read: its e-mail domain's, no other contact yet.
        read.account = AccountContacts(accountID: "domain:example.com", name: "Analytical Engines", contacts: 1, others: [])
        read.account?.buyingGroup = AccountContacts.BuyingGroup(probabilities: [("L1", live.score.probability)], engaged: 0)
        let readLater = read
        let app = Application(router: running.service.router())
        let sales = ServiceFixture.auth(running.tokens[.sales])
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/leads/L1", method: .get, headers: sales)
            #expect(response.status == .ok)
            let body = ServiceFixture.json(response.body)
            // Every key the route had before stays, with the old package view inside.
            for key in [
                "lead", "score", "scores", "qualification", "assignments", "sla", "handoff_package", "dispositions",
                "opportunities", "outcomes", "timeline",
            ] {
                #expect(body[key] != nil, "key \(key)")
            }
            let old = try #require(body["handoff_package"] as? [String: Any])
            #expect(
                Set(old.keys) == [
                    "assigned_to", "assigned_at", "score", "qualification", "sla_deadline", "sla_state",
                    "content_consumed", "engagement", "contact_attempts",
                ])
            let package = try #require(body["package"] as? NSDictionary)
            #expect(package == Self.object(try readLater.jsonBytes()))
            let scoreNow = try #require(package["score_now"] as? [String: Any])
            #expect(Set(scoreNow.keys) == ["points", "probability", "scored_at", "model_sha256"])
            let status = try #require(body["package_status"] as? [String: Any])
            #expect(status["handed_off"] as? Bool == true && status["complete"] as? Bool == true)
            #expect((status["gaps"] as? [String])?.isEmpty == true)

            var markdown = sales
            markdown[.accept] = "text/markdown"
            let md = try await client.execute(uri: "/leads/L1", method: .get, headers: markdown)
            #expect(md.headers[.contentType]?.hasPrefix("text/markdown") == true)
            #expect(String(buffer: md.body) == readLater.markdown())
            let query = try await client.execute(uri: "/leads/L1?format=markdown", method: .get, headers: sales)
            #expect(String(buffer: query.body) == readLater.markdown())
            let bad = try await client.execute(uri: "/leads/L1?format=pdf", method: .get, headers: sales)
            #expect(bad.status == .badRequest)
        }
        // Six more e-mail opens (β 0.05 each) rescore the lead: the package keeps its hand-off
        // score and shows the new one beside it.
        let update = InboundEvent(
            eventID: "e-2", kind: .leadUpdated, occurredAt: handedOffAt.addingTimeInterval(1800), leadID: "L1",
            body: .lead(.init(fields: ["email_opens": "10"])))
        _ = try await running.service.runtime.current().apply(update)
        try await app.test(.router) { client in
            let package = try #require(
                ServiceFixture.json(try await client.execute(uri: "/leads/L1", method: .get, headers: sales).body)["package"] as? [String: Any])
            let then = try #require(package["score_at_handoff"] as? [String: Any])
            let now = try #require(package["score_now"] as? [String: Any])
            #expect(then["scored_at"] as? String == "2026-03-02T10:00:00Z" && now["scored_at"] as? String == "2026-03-02T10:30:00Z")
            let gained = ((now["points"] as? Double) ?? 0) - ((then["points"] as? Double) ?? 0)
            #expect(abs(gained - 0.3 * 20 / log(2)) < 1e-9, "\(then) → \(now)")
            #expect((package["score"] as? [String: Any])?["points"] as? Double == then["points"] as? Double)
            var markdown = sales
            markdown[.accept] = "text/markdown"
            let md = String(buffer: try await client.execute(uri: "/leads/L1", method: .get, headers: markdown).body)
            #expect(md.contains("- At hand-off (2026-03-02T10:00:00Z): ") && md.contains("(+9 points since the hand-off)"), "\(md)")
        }
    }

    @Test func leadsNotHandedToARepSayWhatIsMissingAndUnknownOnes404() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let engine = await running.service.runtime.current()
        // Nurture: small company without budget.
        _ = try await engine.apply(
            Self.created("n-1", lead: "N1", ["company_size": "1-10", "budget_authority": "no", "region": "na", "email_opens": "0"]))
        // SQL but region apac: no territory rule places it, so it is parked in sales-triage.
        let parked = try await engine.apply(
            Self.created("p-1", lead: "P1", ["company_size": "1000+", "budget_authority": "yes", "region": "apac", "email_opens": "0"]))
        #expect(parked.packages.isEmpty)
        let app = Application(router: running.service.router())
        let marketing = ServiceFixture.auth(running.tokens[.marketing])
        try await app.test(.router) { client in
            let nurture = ServiceFixture.json(try await client.execute(uri: "/leads/N1", method: .get, headers: marketing).body)
            let status = try #require(nurture["package_status"] as? [String: Any])
            #expect(status["handed_off"] as? Bool == false && status["complete"] as? Bool == false)
            #expect((status["gaps"] as? [String])?.contains { $0.contains("never handed off") } == true)
            #expect(status["handoff"] is NSNull)
            let package = try #require(nurture["package"] as? [String: Any])
            #expect(package["sla_deadline"] is NSNull)
            #expect((package["qualification"] as? [String: Any])?["stage"] as? String == "nurture")
            #expect(nurture["handoff_package"] is NSNull)

            let queue = ServiceFixture.json(try await client.execute(uri: "/leads/P1", method: .get, headers: marketing).body)
            let queued = try #require(queue["package_status"] as? [String: Any])
            #expect(queued["handed_off"] as? Bool == false)
            let handoff = try #require(queued["handoff"] as? [String: Any])
            #expect((handoff["target"] as? [String: Any])?["queue"] as? String == "sales-triage")
            #expect(handoff["sla_deadline"] is NSNull)
            #expect((queued["gaps"] as? [String])?.contains { $0.contains("fallback queue sales-triage") } == true)

            var markdown = marketing
            markdown[.accept] = "text/markdown"
            let md = String(buffer: try await client.execute(uri: "/leads/N1", method: .get, headers: markdown).body)
            #expect(md.hasPrefix("> Note: the lead was never handed off"))
            #expect(md.contains("first touch due by **none: not handed off**"))

            let missing = try await client.execute(uri: "/leads/nobody", method: .get, headers: marketing)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType]?.hasPrefix("application/json") == true)
            let error = ServiceFixture.json(missing.body)
            #expect((error["error"] as? [String: Any])?["code"] as? String == "not_found")
        }
    }
}
