import HandoffFlow
import HandoffPersistence

extension LeadView {
    /// A lead's account in `GET /leads/{id}` (issue 16): the account, its other contacts, and
    /// the evidence that linked the lead — the rule, the lead's value it read, the score.
    struct AccountView: Encodable, Sendable {
        struct Match: Encodable, Sendable {
            let rule: String
            let value: String
            let score: Double
            @Nullable var matchedName: String?
            let linkedAt: String

            enum CodingKeys: String, CodingKey {
                case rule, value, score
                case matchedName = "matched_name"
                case linkedAt = "linked_at"
            }
        }

        let id: String
        @Nullable var name: String?
        @Nullable var displayName: String?
        let domains: [String]
        let contacts: Int
        let otherContacts: [String]
        let match: Match

        init(_ a: LeadAccount) {
            id = a.account.id
            name = a.account.name
            displayName = a.account.displayName
            domains = a.account.domains
            contacts = a.account.contacts
            otherContacts = a.otherContacts
            match = Match(
                rule: a.link.rule.rawValue, value: a.link.value, score: a.link.score, matchedName: a.link.matchedName,
                linkedAt: EventTime.format(a.link.linkedAt))
        }

        enum CodingKeys: String, CodingKey {
            case id, name, domains, contacts, match
            case displayName = "display_name"
            case otherContacts = "other_contacts"
        }
    }
}
