import Foundation
import HandoffRules

/// A company account (issue 16): the leads of one company are its contacts.
///
/// Ids are stable keys, so two service instances creating the account of one company at once
/// create one: the explicit id a lead named (`account_id` / `crm_account_id`), else
/// `domain:` and the company's e-mail or website domain, else `name:` and its normalised name
/// (see ``AccountRecord/newAccountID(explicitID:domain:name:)``).
package struct AccountRecord: Sendable, Hashable {
    package var id: String
    /// ``AccountKeys/companyName(_:)`` of its name; nil when no contact gave one.
    package var name: String?
    /// The company name as its first contact wrote it.
    package var displayName: String?
    /// E-mail and website domains of its contacts (never free mail), lower case, sorted. Written
    /// as additions: storing an account adds these to the stored ones and removes none.
    package var domains: [String]
    package var createdAt: Date
    /// Read only: the store's creation order (the matcher's "older account" tie-breaker).
    package var rowID: Int64?
    /// Read only: the leads linked to it.
    package var contacts: Int

    package init(
        id: String, name: String?, displayName: String?, domains: [String], createdAt: Date, rowID: Int64? = nil, contacts: Int = 0
    ) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.domains = Array(Set(domains)).sorted()
        self.createdAt = createdAt
        self.rowID = rowID
        self.contacts = contacts
    }

    /// The matcher's view of the account.
    package var profile: AccountProfile {
        AccountProfile(id: id, name: name, domains: Set(domains), contacts: contacts, order: Int(clamping: rowID ?? Int64.max))
    }

    /// The longest normalised name kept in a `name:` id, in characters (ids stay well under
    /// ``BatonSupport/Identifier/maximumBytes`` even for four-byte letters).
    package static let nameKeyLength = 48

    /// The id of an account created for a lead with these keys: the explicit id, else
    /// `domain:<domain>`, else `name:<normalised name, spaces as hyphens>`; nil without a key.
    package static func newAccountID(explicitID: String?, domain: String?, name: String?) -> String? {
        if let explicitID { return explicitID }
        if let domain { return "domain:\(domain)" }
        if let name { return "name:" + String(name.prefix(nameKeyLength)).replacingOccurrences(of: " ", with: "-") }
        return nil
    }
}

/// A lead's link to its account, with the evidence of the match: which rule, the lead's value it
/// read, and the score (1 for exact rules, the Jaro–Winkler similarity for `company_fuzzy`).
/// One per lead; linking again replaces it.
package struct AccountLinkRecord: Sendable, Hashable {
    package var leadID: String
    package var accountID: String
    package var rule: AccountMatch.Rule
    package var value: String
    package var score: Double
    /// For `company_fuzzy`: the account's normalised name the lead's was compared with.
    package var matchedName: String?
    package var linkedAt: Date

    package init(
        leadID: String, accountID: String, rule: AccountMatch.Rule, value: String, score: Double, matchedName: String? = nil, linkedAt: Date
    ) {
        self.leadID = leadID
        self.accountID = accountID
        self.rule = rule
        self.value = value
        self.score = score
        self.matchedName = matchedName
        self.linkedAt = linkedAt
    }

    package init(leadID: String, match: AccountMatch, at: Date) {
        self.init(
            leadID: leadID, accountID: match.accountID, rule: match.rule, value: match.value, score: match.score, matchedName: match.matchedName,
            linkedAt: at)
    }
}

/// A lead's account and the evidence linking it (``HandoffStore/leadAccount(leadID:)``).
package struct LeadAccount: Sendable, Hashable {
    package var account: AccountRecord
    package var link: AccountLinkRecord
    /// The account's other contacts (lead ids, oldest link first), without this lead.
    package var otherContacts: [String]

    package init(account: AccountRecord, link: AccountLinkRecord, otherContacts: [String]) {
        self.account = account
        self.link = link
        self.otherContacts = otherContacts
    }
}
