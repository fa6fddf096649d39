import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffServer
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /leads/{id}/interactions` (issue 18): capture per lead, idempotent, in the timeline and
/// the hand-off package's "What was said".
@Suite struct InteractionRouteTests {
    static let trackers = """

        trackers:
          competitors:
            category: competitor
            phrases: ["Acme CRM"]
            say: "They named {phrase}: show the built-in routing."
          pains:
            category: pain
            phrases: [by hand, go cold]
          objections:
            category: objection
            phrases: [too expensive]
        """

    @Test func aCallIsCapturedOnceAndShowsUpInTheTimelineAndPackage() async throws {
        // The fixture's playbook plus trackers, written before the service reads the playbook at start.
        let running = try await ServiceFixture.service { c in
            try? (ServiceFixture.playbook + Self.trackers).write(toFile: c.playbook ?? "", atomically: true, encoding: .utf8)
        }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        let created = ServiceFixture.body(
            ServiceFixture.event(
                "e-1", "lead_created", lead: "L1", at: "2026-03-02T10:00:00Z",
                ["fields": ["company_size": "1000+", "budget_authority": "yes", "region": "na", "demo_requests": "1", "email_opens": "2"]]))
        let call = """
            [00:00:00] Ana: Thanks for joining. How do you route leads today?
            [00:00:05] Dana: By hand, in a spreadsheet, and hot leads go cold.
            [00:00:14] Dana: We also looked at Acme CRM, but it was too expensive.
            [00:00:20] Ana: I'll send a proposal by Friday, and let's meet next Tuesday.
            """
        try await app.test(.router) { client in
            let ingest = ServiceFixture.auth(running.tokens[.ingest])
            #expect(try await client.execute(uri: "/events", method: .post, headers: ingest, body: created).status == .created)
            let sales = ServiceFixture.auth(running.tokens[.sales])
            let body = ServiceFixture.body(["kind": "call", "text": call, "occurred_at": "2026-03-03T15:00:00Z", "source": "call-0303"])
            let stored = try await client.execute(uri: "/leads/L1/interactions", method: .post, headers: sales, body: body)
            #expect(stored.status == .created, "\(String(buffer: stored.body))")
            let answer = ServiceFixture.json(stored.body)
            #expect(answer["status"] as? String == "stored" && answer["tracker_hits"] as? Int == 3)
            // Each tracker the call mentions went through the flow as an engagement at the call's time.
            let mentions = (answer["mention_events"] as? [[String: Any]]) ?? []
            #expect(mentions.map { $0["event_type"] as? String } == ["competitors_mention", "objections_mention", "pains_mention"], "\(answer)")
            #expect(mentions.allSatisfy { $0["status"] as? String == "applied" })
            let again = try await client.execute(uri: "/leads/L1/interactions", method: .post, headers: sales, body: body)
            #expect(again.status == .ok && ServiceFixture.json(again.body)["status"] as? String == "duplicate")
            let mentionsAgain = (ServiceFixture.json(again.body)["mention_events"] as? [[String: Any]]) ?? []
            #expect(mentionsAgain.count == 3 && mentionsAgain.allSatisfy { $0["status"] as? String == "duplicate" }, "nothing applied twice")
            let events = try await running.service.store.leadTimeline(leadID: "L1")?.events ?? []
            #expect(
                events.filter { $0.type.hasSuffix("_mention") }.map(\.occurredAt)
                    == Array(repeating: EventTime.parse("2026-03-03T15:00:00Z"), count: 3))

            let lead = try await client.execute(uri: "/leads/L1", method: .get, headers: sales)
            let detail = ServiceFixture.json(lead.body)
            let timeline = (detail["timeline"] as? [[String: Any]]) ?? []
            #expect(timeline.last?["kind"] as? String == "interaction")
            #expect(timeline.last?["at"] as? String == "2026-03-03T15:00:00Z")
            let package = (detail["package"] as? [String: Any]) ?? [:]
            let pains = (package["pain_points"] as? [String]) ?? []
            #expect(pains == ["\"By hand, in a spreadsheet, and hot leads go cold.\" [interaction 1 (call), Dana, 00:00:05]"])
            #expect((package["solutions_explored"] as? [String])?.first?.contains("Acme CRM") == true)
            #expect((package["approach"] as? [String])?.last == "They named Acme CRM: show the built-in routing.")
            let said = (package["what_was_said"] as? [String: Any]) ?? [:]
            let steps = (said["next_steps"] as? [[String: Any]]) ?? []
            #expect(steps.first?["text"] as? String == "I'll send a proposal by Friday, and let's meet next Tuesday.")
            #expect(steps.first?["source"] as? String == "interaction 1 (call), Ana, 00:00:20")
            #expect((said["objections"] as? [[String: Any]])?.count == 1)
            #expect((said["call_measures"] as? [String])?.first?.hasPrefix("interaction 1 (call): rep talk") == true)

            let markdown = try await client.execute(uri: "/leads/L1?format=markdown", method: .get, headers: sales)
            #expect(String(buffer: markdown.body).contains("## What was said"))
        }
    }

    /// Two contacts of one account (the same e-mail domain): what the second said reaches the
    /// first one's package, each line citing the other lead; a lead with no account gets none.
    @Test func whatAnotherContactOfTheAccountSaidIsInThePackage() async throws {
        let running = try await ServiceFixture.service { c in
            try? (ServiceFixture.playbook + Self.trackers).write(toFile: c.playbook ?? "", atomically: true, encoding: .utf8)
        }
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        @Sendable func lead(_ id: String, email: String) -> ByteBuffer {
            ServiceFixture.body(
                ServiceFixture.event(
                    "e-\(id)", "lead_created", lead: id, at: "2026-03-02T10:00:00Z",
                    [
                        "fields": [
                            "company_size": "1000+", "budget_authority": "yes", "region": "na", "demo_requests": "1", "email_opens": "2",
                            "email": email,
                        ]
                    ]))
        }
        try await app.test(.router) { client in
            let ingest = ServiceFixture.auth(running.tokens[.ingest])
            for (id, email) in [("L1", "dana@northwind-trading.example"), ("L2", "lee@northwind-trading.example"), ("L3", "sam@gmail.com")] {
                #expect(try await client.execute(uri: "/events", method: .post, headers: ingest, body: lead(id, email: email)).status == .created)
            }
            let sales = ServiceFixture.auth(running.tokens[.sales])
            let call = """
                [00:00:00] Ana: Where do you stand?
                [00:00:04] Lee: Honestly it is too expensive for us this year.
                [00:00:09] Ana: I'll send a revised quote by Friday.
                """
            let body = ServiceFixture.body(["kind": "call", "text": call, "occurred_at": "2026-03-03T15:00:00Z"])
            #expect(try await client.execute(uri: "/leads/L2/interactions", method: .post, headers: sales, body: body).status == .created)

            let detail = ServiceFixture.json(try await client.execute(uri: "/leads/L1", method: .get, headers: sales).body)
            #expect((detail["account"] as? [String: Any])?["other_contacts"] as? [String] == ["L2"], "\(detail["account"] ?? "no account")")
            // The package lists the account's other contacts.
            let accountSection = try require((detail["package"] as? [String: Any])?["account"] as? [String: Any], "\(detail["package"] ?? "")")
            #expect(accountSection["contacts"] as? Int == 2)
            #expect((accountSection["others"] as? [[String: Any]])?.map { $0["email"] as? String } == ["lee@northwind-trading.example"])
            let said = try require(((detail["package"] as? [String: Any])?["what_was_said"] as? [String: Any]), "\(detail)")
            #expect(said["interactions"] as? Int == 0, "L1 itself said nothing")
            let account = try require(said["at_account"] as? [String: Any])
            let contacts = try require(account["contacts"] as? [[String: Any]])
            #expect(contacts.map { $0["lead_id"] as? String } == ["L2"])
            let objections = (contacts.first?["objections"] as? [[String: Any]]) ?? []
            #expect(objections.first?["text"] as? String == "Honestly it is too expensive for us this year.")
            #expect(objections.first?["source"] as? String == "lead L2, interaction 1 (call), Lee, 00:00:04")
            let steps = (contacts.first?["next_steps"] as? [[String: Any]]) ?? []
            #expect(steps.first?["text"] as? String == "I'll send a revised quote by Friday.")
            let markdown = String(buffer: try await client.execute(uri: "/leads/L1?format=markdown", method: .get, headers: sales).body)
            #expect(markdown.contains("### Elsewhere at"), "\(markdown)")
            #expect(markdown.contains("## Account") && markdown.contains("- Lead `L2`: lee@northwind-trading.example"), "\(markdown)")
            #expect(markdown.contains("- \"Honestly it is too expensive for us this year.\" — lead L2, interaction 1 (call), Lee, 00:00:04"))
            // A free-mail lead has no account: nothing of L2's reaches it.
            let alone = ServiceFixture.json(try await client.execute(uri: "/leads/L3", method: .get, headers: sales).body)
            #expect((alone["package"] as? [String: Any])?["what_was_said"] == nil, "\(alone["package"] ?? "")")
        }
    }

    @Test func badRequestsNameTheFieldAndStoreNothing() async throws {
        let running = try await ServiceFixture.service()
        defer { running.files.remove() }
        let app = Application(router: running.service.router())
        try await app.test(.router) { client in
            let ingest = ServiceFixture.auth(running.tokens[.ingest])
            let created = ServiceFixture.body(
                ServiceFixture.event(
                    "e-1", "lead_created", lead: "L1", at: "2026-03-02T10:00:00Z",
                    ["fields": ["company_size": "1000+", "budget_authority": "yes", "region": "na", "demo_requests": "0", "email_opens": "2"]]))
            #expect(try await client.execute(uri: "/events", method: .post, headers: ingest, body: created).status == .created)
            func post(_ lead: String, _ object: [String: Any]) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(
                    uri: "/leads/\(lead)/interactions", method: .post, headers: ingest, body: ServiceFixture.body(object))
                return (response.status, String(buffer: response.body))
            }
            let noKind = try await post("L1", ["text": "hi"])
            #expect(noKind.0 == .badRequest && noKind.1.contains(#""field":"kind""#))
            let both = try await post("L1", ["kind": "call", "text": "A: hi", "raw": "WEBVTT\n"])
            #expect(both.0 == .badRequest && both.1.contains(#""field":"raw""#))
            let emailText = try await post("L1", ["kind": "email", "text": "hello"])
            #expect(emailText.0 == .badRequest && emailText.1.contains("RFC 5322"))
            let extra = try await post("L1", ["kind": "note", "text": "x", "lead_id": "L2"])
            #expect(extra.0 == .badRequest && extra.1.contains(#""field":"lead_id""#))
            let badVTT = try await post("L1", ["kind": "call", "raw": "WEBVTT\n\n00:01.000 --> 00:00.500\n<v A>hi\n"])
            #expect(badVTT.0 == .unprocessableContent && badVTT.1.contains("api:3:15"), "\(badVTT.1)")
            let badMail = try await post("L1", ["kind": "email", "raw": "not a message\n"])
            #expect(badMail.0 == .unprocessableContent && badMail.1.contains("not an RFC 5322 message"))
            let empty = try await post("L1", ["kind": "note", "text": "  \n "])
            #expect(empty.0 == .unprocessableContent)
            let unknown = try await post("L9", ["kind": "note", "text": "hello"])
            #expect(unknown.0 == .notFound)
            #expect(try await running.service.store.interactions(leadID: "L1").isEmpty)
            let note = try await post("L1", ["kind": "note", "text": "Budget confirmed."])
            #expect(note.0 == .created)
            let stored = try await running.service.store.interactions(leadID: "L1")
            #expect(stored.count == 1 && stored.first?.content.text.contains(#""speaker":"ingest""#) == true)
        }
    }
}
