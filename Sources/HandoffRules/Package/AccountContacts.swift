import Foundation

/// The package's account section (issue 16): the lead's account and its other contacts, so the
/// rep sees the buying group before calling (and who else at the company Baton already knows).
package struct AccountContacts: Sendable, Codable, Equatable {
    /// Another contact of the account, as far as their lead fields tell.
    package struct Contact: Sendable, Codable, Equatable {
        package var leadID: String
        package var name: String?
        package var jobTitle: String?
        package var email: String?

        package init(leadID: String, name: String?, jobTitle: String?, email: String?) {
            self.leadID = leadID
            self.name = name
            self.jobTitle = jobTitle
            self.email = email
        }

        /// A contact from a lead's fields (`first_name`, `last_name`, `job_title`, `email`).
        package init(leadID: String, fields: [String: String]) {
            func field(_ key: String) -> String? {
                fields[key].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            let name = [field("first_name"), field("last_name")].compactMap { $0 }.joined(separator: " ")
            self.init(leadID: leadID, name: name.isEmpty ? nil : name, jobTitle: field("job_title"), email: field("email"))
        }

        enum CodingKeys: String, CodingKey {
            case name, email
            case leadID = "lead_id"
            case jobTitle = "job_title"
        }
    }

    /// The account's buying-group score (issue 16): the chance that at least one of its scored
    /// contacts converts, `1 − Π(1 − pᵢ)` over each contact's latest probability (contacts taken as
    /// independent, which overstates a group whose members share one decision: read it as a
    /// ranking of accounts, not a forecast), with how many contacts it read and how many engaged.
    package struct BuyingGroup: Sendable, Codable, Equatable {
        /// `1 − Π(1 − pᵢ)`.
        package var probability: Double
        /// The highest single contact's probability, and whose.
        package var highest: Double
        package var highestLeadID: String
        /// Contacts with a score (this lead and the others read), and those with at least one engagement.
        package var scoredContacts: Int
        package var engagedContacts: Int

        package init(probabilities: [(leadID: String, probability: Double)], engaged: Int) {
            let clamped = probabilities.map { ($0.leadID, min(1, max(0, $0.probability))) }
            probability = 1 - clamped.reduce(1.0) { $0 * (1 - $1.1) }
            let top = clamped.max { $0.1 < $1.1 }
            highest = top?.1 ?? 0
            highestLeadID = top?.0 ?? ""
            scoredContacts = clamped.count
            engagedContacts = engaged
        }

        enum CodingKeys: String, CodingKey {
            case probability, highest
            case highestLeadID = "highest_lead_id"
            case scoredContacts = "scored_contacts"
            case engagedContacts = "engaged_contacts"
        }
    }

    package var accountID: String
    package var name: String?
    /// Nil when no contact read has a score.
    package var buyingGroup: BuyingGroup?
    /// Every contact of the account, this lead included.
    package var contacts: Int
    /// The other contacts, oldest link first (at most ``listed``).
    package var others: [Contact]

    /// How many other contacts a package lists (the count says how many there are).
    package static let listed = 10

    package init(accountID: String, name: String?, contacts: Int, others: [Contact]) {
        self.accountID = accountID
        self.name = name
        self.contacts = contacts
        self.others = others
    }

    enum CodingKeys: String, CodingKey {
        case name, contacts, others
        case accountID = "account_id"
        case buyingGroup = "buying_group"
    }

    /// The section's Markdown lines.
    func markdownLines() -> [String] {
        var lines = ["## Account", "", "\(name ?? accountID) (`\(accountID)`): \(contacts) contact(s) known to Baton."]
        if let group = buyingGroup {
            lines.append("")
            lines.append(
                "Buying group: \(String(format: "%.1f", 100 * group.probability)) % that at least one of \(group.scoredContacts) scored contact(s) converts (1 − Π(1 − p)), highest \(String(format: "%.1f", 100 * group.highest)) % (lead `\(group.highestLeadID)`); \(group.engagedContacts) engaged."
            )
        }
        if !others.isEmpty { lines.append("") }
        for other in others {
            let who = [other.name, other.jobTitle, other.email].compactMap { $0 }.joined(separator: ", ")
            lines.append("- Lead `\(other.leadID)`" + (who.isEmpty ? "" : ": \(who)"))
        }
        if contacts - 1 > others.count { lines.append("- … and \(contacts - 1 - others.count) more") }
        lines.append("")
        return lines
    }
}
