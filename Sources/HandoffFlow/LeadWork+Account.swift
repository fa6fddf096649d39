import BatonSupport
import Foundation
import HandoffPersistence
import HandoffRules

/// Accounts (issue 16): every lead event links its lead to the account of its company, in the
/// same unit of work as the lead's fields, with the evidence of the match.
///
/// The rule, in order: a lead already linked keeps its account unless it now names another one
/// explicitly; an explicit id (`account_id`, `crm_account_id`) names its account, created when
/// new (rule `explicit`); otherwise ``AccountMatcher`` over the stored accounts (e-mail domain,
/// website domain, exact then fuzzy company name); when nothing matches and the lead has a key,
/// it starts an account (rule `new_account`, id from ``AccountRecord/newAccountID(explicitID:domain:name:)``).
/// A lead with no key (free mail, no website, no company) has no account. The lead's domains
/// join its account's, except after a fuzzy name match (a similar name is not proof enough to
/// let the domain pull in further leads).
extension LeadWork {
    /// The longest company name kept as an account's display name, in characters.
    static let displayNameLength = 200

    mutating func linkAccount(at instant: Date) async throws(EngineError) {
        let fields = storedFields
        let keys = AccountMatcher.keys(of: fields)
        if let explicit = keys.explicitID, let problem = Identifier.problem(explicit) {
            let field =
                AccountMatcher.explicitFields.first { fields[$0]?.trimmingCharacters(in: .whitespacesAndNewlines) == explicit } ?? "account_id"
            throw .invalidField(
                eventID: source, field: field, problem: "\(problem); an account id is printable text of at most \(Identifier.maximumBytes) bytes")
        }
        let store = engine.store
        do {
            // Ingest needs only the link's account id (one query), not the account with its contacts.
            if let current = try await store.linkedAccountID(leadID: leadID), keys.explicitID == nil || keys.explicitID == current {
                return
            }
            let domains = Array(Set([keys.emailDomain, keys.websiteDomain].compactMap { $0 })).sorted()
            let exact = try await store.accountCandidates(
                ids: keys.explicitID.map { [$0] } ?? [], domains: domains, name: keys.companyName, everyNamed: false)
            var match = AccountMatcher(accounts: exact.map(\.profile)).match(fields)
            if match == nil, keys.explicitID == nil, let name = keys.companyName, name.count >= AccountMatcher.fuzzyMinimumLength {
                let named = try await store.accountCandidates(ids: [], domains: [], name: nil, everyNamed: true)
                match = AccountMatcher(accounts: named.map(\.profile)).match(fields)
            }
            if keys.explicitID != nil, match?.rule != .explicit { match = nil }
            let chosen: AccountMatch
            if let match {
                chosen = match
            } else {
                guard
                    let id = AccountRecord.newAccountID(
                        explicitID: keys.explicitID, domain: keys.emailDomain ?? keys.websiteDomain, name: keys.companyName)
                else { return }
                let value = keys.explicitID ?? keys.emailDomain ?? keys.websiteDomain ?? keys.companyName ?? id
                chosen = AccountMatch(accountID: id, rule: keys.explicitID != nil ? .explicit : .newAccount, value: value, score: 1)
            }
            let display = fields["company"]?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(Self.displayNameLength)
            let record = AccountRecord(
                id: chosen.accountID, name: keys.companyName, displayName: display.flatMap { $0.isEmpty ? nil : String($0) },
                domains: chosen.rule == .companyFuzzy ? [] : domains, createdAt: instant)
            let link = AccountLinkRecord(leadID: leadID, match: chosen, at: instant)
            operations.append(.upsertAccount(record))
            operations.append(.linkLeadAccount(link))
        } catch {
            throw .store(eventID: source, error)
        }
    }
}
