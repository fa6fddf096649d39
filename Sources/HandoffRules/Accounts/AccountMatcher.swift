/// An account a lead can be matched to: its id, normalised name, known domains and size.
package struct AccountProfile: Sendable, Hashable {
    package let id: String
    /// ``AccountKeys/companyName(_:)`` of its name (nil when it has none).
    package let name: String?
    /// E-mail and website domains seen on its contacts, lower case.
    package let domains: Set<String>
    /// Contacts matched to it so far (a tie-breaker: the larger account wins).
    package let contacts: Int
    /// Creation order (a tie-breaker: the older account wins).
    package let order: Int

    package init(id: String, name: String?, domains: Set<String>, contacts: Int, order: Int) {
        self.id = id
        self.name = name
        self.domains = domains
        self.contacts = contacts
        self.order = order
    }
}

/// How a lead was matched to an account, with the evidence the store keeps.
package struct AccountMatch: Sendable, Hashable, Codable {
    /// The rule that matched, in precedence order.
    package enum Rule: String, Sendable, Hashable, Codable, CaseIterable {
        /// The lead named its account (a CRM account id, or Segment's `groupId` mapped to `account_id`).
        case explicit
        /// Its e-mail domain (not free mail) is a domain of the account.
        case emailDomain = "email_domain"
        /// Its website's domain is a domain of the account.
        case websiteDomain = "website_domain"
        /// Its normalised company name equals the account's.
        case companyName = "company_name"
        /// Its normalised company name is within the Jaro–Winkler threshold of the account's.
        case companyFuzzy = "company_fuzzy"
        /// Nothing matched: the lead started the account, keyed by this value (its explicit id,
        /// domain or normalised name).
        case newAccount = "new_account"
    }

    package let accountID: String
    package let rule: Rule
    /// The lead's value the rule read (the domain, or the normalised name).
    package let value: String
    /// 1 for exact rules; the Jaro–Winkler similarity for `company_fuzzy`.
    package let score: Double
    /// For `company_fuzzy`: the account's normalised name it was compared with.
    package let matchedName: String?

    package init(accountID: String, rule: Rule, value: String, score: Double, matchedName: String? = nil) {
        self.accountID = accountID
        self.rule = rule
        self.value = value
        self.score = score
        self.matchedName = matchedName
    }

    enum CodingKeys: String, CodingKey {
        case rule, value, score
        case accountID = "account_id"
        case matchedName = "matched_name"
    }
}

/// Matches a lead to one of the known accounts.
///
/// Rules, first that matches wins: `explicit` (field `account_id` or `crm_account_id` names a
/// known account), `email_domain` (the domain of `email`, never a free-mail one — see
/// ``AccountKeys/freeMailDomains``), `website_domain` (of `website` or `company_website`),
/// `company_name` (``AccountKeys/companyName(_:)`` equal) and `company_fuzzy`: Jaro–Winkler
/// similarity of the normalised names ≥ ``fuzzyThreshold`` (0.92), never to an account whose
/// domains do not hold the lead's own company domain. A domain or name held by
/// several accounts, and fuzzy candidates, are broken by: the higher score, then the account with
/// more contacts, then the older account, then the smaller id — so the result never depends on
/// the order accounts are listed in.
package struct AccountMatcher: Sendable {
    /// The least Jaro–Winkler similarity of normalised company names that matches (0.92:
    /// "acme systems" ~ "acme systms" 0.98 matches; "initech" ~ "initrode" 0.87 and "acme systems" ~ "acme solutions" 0.82 do not).
    package static let fuzzyThreshold = 0.92
    /// Names shorter than this (after normalising) only match exactly: four letters leave too
    /// little for a similarity to mean anything.
    package static let fuzzyMinimumLength = 5
    /// Lead fields read, by rule.
    package static let explicitFields = ["account_id", "crm_account_id"]
    package static let websiteFields = ["website", "company_website"]

    package let accounts: [AccountProfile]

    package init(accounts: [AccountProfile]) { self.accounts = accounts }

    /// The best match for a lead's fields, or nil (then the lead starts an account of its own,
    /// when it has a key: see ``keys(of:)``).
    package func match(_ fields: [String: String]) -> AccountMatch? {
        for field in Self.explicitFields {
            if let id = fields[field]?.trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty, accounts.contains(where: { $0.id == id }) {
                return AccountMatch(accountID: id, rule: .explicit, value: id, score: 1)
            }
        }
        let keys = Self.keys(of: fields)
        if let domain = keys.emailDomain, let best = best(accounts.filter { $0.domains.contains(domain) }) {
            return AccountMatch(accountID: best.id, rule: .emailDomain, value: domain, score: 1)
        }
        if let domain = keys.websiteDomain, let best = best(accounts.filter { $0.domains.contains(domain) }) {
            return AccountMatch(accountID: best.id, rule: .websiteDomain, value: domain, score: 1)
        }
        guard let name = keys.companyName else { return nil }
        if let best = best(accounts.filter { $0.name == name }) {
            return AccountMatch(accountID: best.id, rule: .companyName, value: name, score: 1)
        }
        guard name.count >= Self.fuzzyMinimumLength else { return nil }
        // A similar name is not enough against a company domain: a lead writing from its own
        // domain that an account with domains does not hold is another company ("helix robotics"
        // at helix-robotics.example is not "helium robotics" at helium-robotics.example).
        let ownDomain = keys.emailDomain ?? keys.websiteDomain
        var top: (account: AccountProfile, score: Double)?
        for account in accounts {
            guard let other = account.name, other.count >= Self.fuzzyMinimumLength else { continue }
            if let ownDomain, !account.domains.isEmpty, !account.domains.contains(ownDomain) { continue }
            let score = JaroWinkler.similarity(name, other)
            guard score >= Self.fuzzyThreshold else { continue }
            if let current = top, !(score > current.score || (score == current.score && Self.precedes(account, current.account))) { continue }
            top = (account, score)
        }
        return top.map { AccountMatch(accountID: $0.account.id, rule: .companyFuzzy, value: name, score: $0.score, matchedName: $0.account.name) }
    }

    /// The lead's keys: explicit id, e-mail domain (nil for free mail), website domain, normalised name.
    package static func keys(
        of fields: [String: String]
    ) -> (
        explicitID: String?, emailDomain: String?, websiteDomain: String?, companyName: String?
    ) {
        let explicit = explicitFields.lazy.compactMap { fields[$0]?.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty }
        let website = websiteFields.lazy.compactMap { fields[$0].flatMap(AccountKeys.websiteDomain) }.first
        return (explicit, fields["email"].flatMap(AccountKeys.emailDomain), website, fields["company"].flatMap(AccountKeys.companyName))
    }

    /// The tie-breaker among accounts equally matched.
    func best(_ candidates: [AccountProfile]) -> AccountProfile? {
        candidates.min { Self.precedes($0, $1) }
    }

    /// More contacts first, then older, then the smaller id.
    static func precedes(_ a: AccountProfile, _ b: AccountProfile) -> Bool {
        if a.contacts != b.contacts { return a.contacts > b.contacts }
        if a.order != b.order { return a.order < b.order }
        return a.id < b.id
    }
}
