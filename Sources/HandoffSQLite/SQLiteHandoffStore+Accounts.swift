import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
    package func accountCandidates(ids: [String], domains: [String], name: String?, everyNamed: Bool) async throws(StoreError) -> [AccountRecord] {
        try await read("reading the accounts a lead can match") { db in
            let marks = { (n: Int) in Array(repeating: "?", count: n).joined(separator: ", ") }
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if !ids.isEmpty {
                conditions.append("a.id IN (\(marks(ids.count)))")
                arguments += ids
            }
            if !domains.isEmpty {
                conditions.append("a.id IN (SELECT account_id FROM account_domains WHERE domain IN (\(marks(domains.count))))")
                arguments += domains
            }
            if let name {
                conditions.append("a.name = ?")
                arguments.append(name)
            }
            if everyNamed { conditions.append("a.name IS NOT NULL") }
            guard !conditions.isEmpty else { return [] }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.seq, a.id, a.name, a.display_name, a.created_at,
                        (SELECT count(*) FROM lead_accounts l WHERE l.account_id = a.id) AS contacts,
                        (SELECT group_concat(domain, ' ') FROM (SELECT domain FROM account_domains d WHERE d.account_id = a.id ORDER BY domain))
                            AS domains
                    FROM accounts a WHERE \(conditions.joined(separator: " OR ")) ORDER BY a.seq
                    """, arguments: StatementArguments(arguments))
            // One query, the domains folded in (as the PostgreSQL store does), not one more per account.
            return rows.map { row in
                let domains = (row["domains"] as String?)?.split(separator: " ").map(String.init) ?? []
                return AccountRecord(
                    id: row["id"], name: row["name"], displayName: row["display_name"], domains: domains,
                    createdAt: Decode.date(row, "created_at"), rowID: row["seq"], contacts: row["contacts"])
            }
        }
    }

    package func linkedAccountID(leadID: String) async throws(StoreError) -> String? {
        try await read("reading the account of lead '\(leadID)'") { db in
            // Cached: read for every event of a lead under the playbook's account rules.
            try String.fetchOne(db.cachedStatement(sql: "SELECT account_id FROM lead_accounts WHERE lead_id = ?"), arguments: [leadID])
        }
    }

    package func accountHolders(accountID: String, excludingLead leadID: String?) async throws(StoreError) -> [String] {
        try await read("reading who works account '\(accountID)'") { db in
            let reps = try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT a.rep_id FROM assignments a JOIN lead_accounts l ON l.lead_id = a.lead_id
                        WHERE l.account_id = ? AND a.unassigned_at IS NULL AND a.rep_id IS NOT NULL AND (? IS NULL OR a.lead_id <> ?)
                        ORDER BY a.assigned_at, a.id
                        """), arguments: [accountID, leadID, leadID])
            var seen = Set<String>()
            return reps.filter { seen.insert($0).inserted }
        }
    }

    package func accountContacts(accountID: String, limit: Int) async throws(StoreError) -> [String] {
        try await read("reading the contacts of account '\(accountID)'") { db in
            try String.fetchAll(
                try db.cachedStatement(
                    sql: """
                        SELECT l.lead_id FROM lead_accounts l WHERE l.account_id = ?
                          AND NOT EXISTS (SELECT 1 FROM lead_merges m WHERE m.merged_id = l.lead_id AND m.ended_at IS NULL)
                        ORDER BY l.linked_at, l.lead_id LIMIT ?
                        """), arguments: [accountID, max(0, limit)])
        }
    }

    package func leadAccount(leadID: String) async throws(StoreError) -> LeadAccount? {
        try await read("reading the account of lead '\(leadID)'") { db in
            guard
                let link = try Row.fetchOne(
                    db, sql: "SELECT lead_id, account_id, rule, value, score, matched_name, linked_at FROM lead_accounts WHERE lead_id = ?",
                    arguments: [leadID]),
                let account = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.seq, a.id, a.name, a.display_name, a.created_at,
                            (SELECT count(*) FROM lead_accounts l WHERE l.account_id = a.id) AS contacts
                        FROM accounts a WHERE a.id = ?
                        """, arguments: [link["account_id"] as String])
            else { return nil }
            let accountID: String = account["id"]
            let domains = try String.fetchAll(
                db, sql: "SELECT domain FROM account_domains WHERE account_id = ? ORDER BY domain", arguments: [accountID])
            let others = try String.fetchAll(
                db, sql: "SELECT lead_id FROM lead_accounts WHERE account_id = ? AND lead_id <> ? ORDER BY linked_at, lead_id",
                arguments: [accountID, leadID])
            return LeadAccount(
                account: AccountRecord(
                    id: accountID, name: account["name"], displayName: account["display_name"], domains: domains,
                    createdAt: Decode.date(account, "created_at"), rowID: account["seq"], contacts: account["contacts"]),
                link: AccountLinkRecord(
                    leadID: link["lead_id"], accountID: accountID, rule: try Decode.enumValue(link, "rule", table: "lead_accounts"),
                    value: link["value"], score: link["score"], matchedName: link["matched_name"], linkedAt: Decode.date(link, "linked_at")),
                otherContacts: others)
        }
    }
}
