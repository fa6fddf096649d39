import Foundation
import HandoffPersistence
import HandoffSQLite
import TestSupport
import Testing

@Suite("baton conversations import / digest")
struct ConversationsImportTests {
    static let fixtures = SharedData.projectRoot.appendingPathComponent("Tests/ConversationsTests/Fixtures")
    static let playbook = SharedData.projectRoot.appendingPathComponent("Datasets/playbook.yaml").path

    /// A store with lead L1 (dana@northwind.example) and lead L2 (no e-mail).
    static func store(in folder: URL) async throws -> String {
        let path = folder.appendingPathComponent("store.sqlite").path
        let store = try SQLiteHandoffStore(path: path)
        let now = Date(timeIntervalSince1970: 1_759_741_200)
        try await store.upsertLead(
            LeadRecord(id: "L1", fields: JSONText(trusted: #"{"email":"Dana@Northwind.example"}"#), source: nil, campaign: nil, createdAt: now))
        try await store.upsertLead(LeadRecord(id: "L2", fields: JSONText(trusted: "{}"), source: nil, campaign: nil, createdAt: now))
        try store.close()
        return path
    }

    static func interactions(_ path: String, lead: String) async throws -> [InteractionRecord] {
        let store = try SQLiteHandoffStore(path: path)
        defer { try? store.close() }
        return try await store.interactions(leadID: lead)
    }

    @Test("An e-mail finds its lead by address, once; a transcript needs --lead; the digest cites every line")
    func importAndDigest() async throws {
        let folder = try CLI.scratch()
        let db = try await Self.store(in: folder)
        let eml = Self.fixtures.appendingPathComponent("nested-mime.eml").path
        let first = try await CLI.run(["conversations", "import", "--db", db, "--playbook", Self.playbook, eml])
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout == "stored 1 interaction(s) for 1 lead(s) with 2 tracker hit(s); 0 already stored\n")
        let again = try await CLI.run(["conversations", "import", "--db", db, "--playbook", Self.playbook, eml])
        #expect(again.stdout == "stored 0 interaction(s) for 1 lead(s) with 0 tracker hit(s); 1 already stored\n")

        let call = Self.fixtures.appendingPathComponent("digest-call.txt").path
        let noLead = try await CLI.run(["conversations", "import", "--db", db, call])
        #expect(noLead.exitCode == 65)
        #expect(noLead.stderr.contains("digest-call.txt: a transcript, chat or note names no e-mail address to find its lead by; pass --lead ID"))
        let withLead = try await CLI.run([
            "conversations", "import", "--db", db, "--playbook", Self.playbook, "--lead", "L1", "--rep", "Sam Park", call,
        ])
        #expect(withLead.exitCode == 0, "\(withLead.stderr)")
        #expect(try await Self.interactions(db, lead: "L1").map(\.kind) == ["email", "call"])

        let digest = try await CLI.run([
            "conversations", "digest", "--db", db, "--playbook", Self.playbook, "--rep", "Sam Park", "--lead", "L1", "--json",
        ])
        #expect(digest.exitCode == 0, "\(digest.stderr)")
        let object = try digest.json()
        #expect(object["interactions"] as? Int == 2)
        let body = try #require(object["digest"] as? [String: Any])
        let steps = try #require(body["next_steps"] as? [[String: Any]])
        #expect(steps.first?["text"] as? String == "Let's meet next Tuesday with your IT lead to walk through the security review.")
        let measures = try #require(object["call_measures"] as? [String])
        #expect(measures.count == 1)
        #expect(measures.first?.contains("rep talk 34 % by time") == true)
        let text = try await CLI.run(["conversations", "digest", "--db", db, "--playbook", Self.playbook, "--lead", "L1"])
        #expect(
            text.stdout.contains(
                "- \"We also looked at Acme CRM last year, but their routing needed a services project.\" [interaction 2 (call), Dana Reyes, 00:00:50]"
            ))
    }

    @Test("An e-mail to two contacts of one account is captured for both; of two accounts it is ambiguous")
    func oneThreadForTwoContactsOfOneAccount() async throws {
        let folder = try CLI.scratch()
        let db = try await Self.store(in: folder)
        let now = Date(timeIntervalSince1970: 1_759_741_200)
        do {
            let store = try SQLiteHandoffStore(path: db)
            try await store.upsertLead(
                LeadRecord(id: "L3", fields: JSONText(trusted: #"{"email":"lee@northwind.example"}"#), source: nil, campaign: nil, createdAt: now))
            try store.close()
        }
        let mail = folder.appendingPathComponent("thread.eml")
        try Data(
            """
            From: Dana Reyes <dana@northwind.example>\r
            To: Sam Park <sam@baton.example>\r
            Cc: Lee Chen <lee@northwind.example>\r
            Subject: Next steps\r
            Date: Mon, 06 Oct 2025 09:00:00 +0000\r
            Message-ID: <thread-1@northwind.example>\r
            \r
            We need this live before the renewal in March.\r

            """.utf8
        ).write(to: mail)
        // Not yet linked to an account: two leads, so it is ambiguous and nothing is stored.
        let ambiguous = try await CLI.run(["conversations", "import", "--db", db, mail.path])
        #expect(ambiguous.exitCode == 65)
        #expect(ambiguous.stderr.contains("the addresses match several leads (L1, L3) that are not contacts of one account"), "\(ambiguous.stderr)")
        #expect(try await Self.interactions(db, lead: "L1").isEmpty)
        // Both contacts of Northwind: the thread is captured for each of them.
        do {
            let store = try SQLiteHandoffStore(path: db)
            var ops: [WriteOperation] = [
                .upsertAccount(
                    AccountRecord(id: "acc-northwind", name: "northwind", displayName: "Northwind", domains: ["northwind.example"], createdAt: now))
            ]
            for lead in ["L1", "L3"] {
                ops.append(
                    .linkLeadAccount(
                        AccountLinkRecord(
                            leadID: lead, accountID: "acc-northwind", rule: .emailDomain, value: "northwind.example", score: 1, linkedAt: now)))
            }
            _ = try await store.commit(UnitOfWork(ops))
            try store.close()
        }
        let both = try await CLI.run(["conversations", "import", "--db", db, mail.path])
        #expect(both.exitCode == 0, "\(both.stderr)")
        #expect(both.stdout == "stored 2 interaction(s) for 2 lead(s) with 0 tracker hit(s); 0 already stored\n")
        let l1 = try await Self.interactions(db, lead: "L1"), l3 = try await Self.interactions(db, lead: "L3")
        #expect(l1.count == 1 && l3.count == 1 && l1.first?.contentSHA256 == l3.first?.contentSHA256)
    }

    @Test("A mailbox with one message for an unknown lead stores nothing, naming the message's line")
    func unknownLeadStoresNothing() async throws {
        let folder = try CLI.scratch()
        let db = try await Self.store(in: folder)
        let mbox = folder.appendingPathComponent("inbox.mbox")
        try mbox.write(
            """
            From dana@northwind.example Mon Oct  6 10:00:00 2025
            From: dana@northwind.example
            Date: Mon, 6 Oct 2025 10:00:00 +0000

            We need routing by territory.

            From stranger@elsewhere.example Mon Oct  6 11:00:00 2025
            From: Stranger <stranger@elsewhere.example>
            Date: Mon, 6 Oct 2025 11:00:00 +0000

            Hello?

            """)
        let result = try await CLI.run(["conversations", "import", "--db", db, mbox.path])
        #expect(result.exitCode == 65)
        #expect(
            result.stderr
                == "error: inbox.mbox:8: no stored lead has the e-mail address stranger@elsewhere.example; add the lead first, or name it with --lead ID (nothing was stored)\nnothing was stored\n"
        )
        #expect(try await Self.interactions(db, lead: "L1").isEmpty)
        let missing = try await CLI.run(["conversations", "import", "--db", db, folder.appendingPathComponent("nope.eml").path])
        #expect(missing.exitCode == 64)
        let broken = folder.appendingPathComponent("broken.vtt")
        try broken.write("WEBVTT\n\n00:01.000 --> 00:00.500\n<v Dana>hi\n")
        let bad = try await CLI.run(["conversations", "import", "--db", db, "--lead", "L1", broken.path])
        #expect(bad.exitCode == 65)
        #expect(bad.stderr.contains("broken.vtt:3:15: the cue ends (00:00.500) before or when it starts (00:01.000)"))
    }

    @Test("baton generate --conversations writes an e-mail and a call per lead with the truth, and never into an existing folder")
    func generate() async throws {
        let folder = try CLI.scratch().appendingPathComponent("conversations")
        let result = try await CLI.run(["generate", "--conversations", folder.path, "--rows", "5", "--seed", "3"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("wrote 10 files for 5 leads to \(folder.path): "))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count == 11 && names.contains("truth.json") && names.contains("L0001.eml") && names.contains("L0005-call.vtt"))
        let truth = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("truth.json"))) as? [String: Any])
        #expect(truth["seed"] as? Int == 3)
        let again = try await CLI.run(["generate", "--conversations", folder.path, "--rows", "5", "--seed", "3"])
        #expect(again.exitCode == 73)
    }
}
