import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    package func accountCandidates(ids: [String], domains: [String], name: String?, everyNamed: Bool) async throws(StoreError) -> [AccountRecord] {
        try await read("reading the accounts a lead can match") { sql in
            var conditions: [String] = []
            var binds: [Bind] = []
            func marks(_ values: [String]) -> String {
                values.map { value in
                    binds.append(.text(value))
                    return "$\(binds.count)"
                }.joined(separator: ", ")
            }
            if !ids.isEmpty { conditions.append("a.id IN (\(marks(ids)))") }
            if !domains.isEmpty { conditions.append("a.id IN (SELECT account_id FROM account_domains WHERE domain IN (\(marks(domains))))") }
            if let name { conditions.append("a.name = \(marks([name]))") }
            if everyNamed { conditions.append("a.name IS NOT NULL") }
            guard !conditions.isEmpty else { return [] }
            let rows = try await sql.rows(
                """
                SELECT a.seq, a.id, a.name, a.display_name, a.created_at,
                    (SELECT count(*) FROM lead_accounts l WHERE l.account_id = a.id) AS contacts,
                    coalesce((SELECT string_agg(d.domain, ' ' ORDER BY d.domain) FROM account_domains d WHERE d.account_id = a.id), '') AS domains
                FROM accounts a WHERE \(conditions.joined(separator: " OR ")) ORDER BY a.seq
                """, binds)
            return try rows.map(Self.account)
        }
    }

    package func linkedAccountID(leadID: String) async throws(StoreError) -> String? {
        try await read("reading the account of lead '\(leadID)'") { sql in
            try await sql.row("SELECT account_id FROM lead_accounts WHERE lead_id = $1", [.text(leadID)])?.text("account_id")
        }
    }

    package func accountHolders(accountID: String, excludingLead leadID: String?) async throws(StoreError) -> [String] {
        try await read("reading who works account '\(accountID)'") { sql in
            let rows = try await sql.rows(
                """
                SELECT a.rep_id FROM assignments a JOIN lead_accounts l ON l.lead_id = a.lead_id
                WHERE l.account_id = $1 AND a.unassigned_at IS NULL AND a.rep_id IS NOT NULL AND ($2::text IS NULL OR a.lead_id <> $2)
                ORDER BY a.assigned_at, a.id
                """, [.text(accountID), .text(leadID)])
            var seen = Set<String>()
            return try rows.map { try $0.text("rep_id") }.filter { seen.insert($0).inserted }
        }
    }

    package func accountContacts(accountID: String, limit: Int) async throws(StoreError) -> [String] {
        try await read("reading the contacts of account '\(accountID)'") { sql in
            try await sql.rows(
                """
                SELECT l.lead_id FROM lead_accounts l WHERE l.account_id = $1
                  AND NOT EXISTS (SELECT 1 FROM lead_merges m WHERE m.merged_id = l.lead_id AND m.ended_at IS NULL)
                ORDER BY l.linked_at, l.lead_id LIMIT $2
                """, [.text(accountID), .int(Int64(max(0, limit)))]
            ).map { try $0.text("lead_id") }
        }
    }

    package func leadAccount(leadID: String) async throws(StoreError) -> LeadAccount? {
        try await read("reading the account of lead '\(leadID)'") { sql in
            guard
                let link = try await sql.row(
                    "SELECT lead_id, account_id, rule, value, score, matched_name, linked_at FROM lead_accounts WHERE lead_id = $1", [.text(leadID)]),
                let row = try await sql.row(
                    """
                    SELECT a.seq, a.id, a.name, a.display_name, a.created_at,
                        (SELECT count(*) FROM lead_accounts l WHERE l.account_id = a.id) AS contacts,
                        coalesce((SELECT string_agg(d.domain, ' ' ORDER BY d.domain) FROM account_domains d WHERE d.account_id = a.id), '') AS domains
                    FROM accounts a WHERE a.id = $1
                    """, [.text(try link.text("account_id"))])
            else { return nil }
            let account = try Self.account(row)
            let others = try await sql.rows(
                "SELECT lead_id FROM lead_accounts WHERE account_id = $1 AND lead_id <> $2 ORDER BY linked_at, lead_id",
                [.text(account.id), .text(leadID)]
            ).map { try $0.text("lead_id") }
            return LeadAccount(
                account: account,
                link: AccountLinkRecord(
                    leadID: try link.text("lead_id"), accountID: account.id, rule: try link.enumValue("rule", table: "lead_accounts"),
                    value: try link.text("value"), score: try link.double("score"), matchedName: try link.optionalText("matched_name"),
                    linkedAt: try link.date("linked_at")),
                otherContacts: others)
        }
    }

    /// An account row with its contact count and space-separated domains (host names hold no spaces).
    static func account(_ row: Cells) throws -> AccountRecord {
        AccountRecord(
            id: try row.text("id"), name: try row.optionalText("name"), displayName: try row.optionalText("display_name"),
            domains: try row.text("domains").split(separator: " ").map(String.init), createdAt: try row.date("created_at"),
            rowID: try row.int64("seq"), contacts: try row.int("contacts"))
    }
}
