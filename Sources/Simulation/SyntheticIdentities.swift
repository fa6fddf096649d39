import Foundation

/// Who the synthetic leads are (issue 16): people at companies, some arriving twice.
///
/// Per lead, in creation order, seeded:
/// - with probability ``Options/duplicateRate`` (and an earlier person to repeat), a **second form
///   fill** of one of the last 200 people: the same person, the e-mail written another way (case,
///   a `+tag`, Gmail dots) so that its normalised key is the same;
/// - otherwise a new person, at a new company with probability `1 / contactsPerAccount`, else at
///   one of the last 100 companies (so a company averages about `contactsPerAccount` contacts);
/// - a person writes from free mail (`gmail.com`, `outlook.com`, …) with probability
///   ``Options/freeMailShare``, else from the company's domain; the company name is written as
///   each contact writes it (legal form kept, dropped or changed; case; with probability 0.05 one
///   letter mistyped); a third give the company's website.
///
/// The truth is the person and the company of every lead, so the account matcher's and the merge
/// rule's precision and recall can be measured against what the engine stored.
package struct SyntheticIdentities: Sendable {
    package struct Options: Sendable, Hashable {
        package var contactsPerAccount: Double
        package var duplicateRate: Double
        package var freeMailShare: Double

        package init(contactsPerAccount: Double = 2.5, duplicateRate: Double = 0.05, freeMailShare: Double = 0.15) {
            self.contactsPerAccount = contactsPerAccount
            self.duplicateRate = duplicateRate
            self.freeMailShare = freeMailShare
        }

        /// A problem with the options, in words, or nil.
        package var problem: String? {
            guard contactsPerAccount.isFinite, contactsPerAccount >= 1, contactsPerAccount <= 1_000 else {
                return "contacts per account must be 1…1000 (got \(contactsPerAccount))"
            }
            guard duplicateRate.isFinite, (0...0.5).contains(duplicateRate) else { return "the duplicate rate must be 0…0.5 (got \(duplicateRate))" }
            guard freeMailShare.isFinite, (0...1).contains(freeMailShare) else { return "the free-mail share must be 0…1 (got \(freeMailShare))" }
            return nil
        }
    }

    /// One lead's identity and its truth.
    package struct Identity: Sendable, Hashable, Codable {
        /// The person (`P17`); a second form fill repeats an earlier lead's.
        package var person: String
        /// The company (`C5`).
        package var company: String
        /// The earlier lead this one repeats, for a second form fill.
        package var duplicateOf: String?
        /// Fields the lead's `lead_created` carries: `first_name`, `last_name`, `email`, `company`, maybe `website`.
        package var fields: [String: String]

        enum CodingKeys: String, CodingKey {
            case person, company, fields
            case duplicateOf = "duplicate_of"
        }
    }

    static let firstNames = [
        "Ana", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Lars", "Maya", "Noah", "Olga", "Pavel",
        "Quinn", "Rosa", "Sami", "Tara", "Uma", "Viktor", "Wen", "Yara", "Zoe",
    ]
    static let lastNames = [
        "Adler", "Brandt", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist",
        "Moreau", "Nakamura", "Okafor", "Petrov", "Quint", "Rossi", "Schmidt", "Tanaka", "Ueda", "Vargas", "Weber", "Xu", "Yilmaz", "Zhang",
    ]
    static let stems = [
        "Nor", "Vex", "Quant", "Lumi", "Cor", "Stra", "Hel", "Ori", "Zen", "Tal", "Bry", "Kal", "Mer", "Sol", "Tri", "Ver", "Ax", "Pyr", "Del",
        "Gal",
    ]
    static let endings = ["ion", "ex", "ara", "ico", "onic", "ent", "ora", "ix", "ano", "ium"]
    static let kinds = ["Systems", "Labs", "Analytics", "Logistics", "Health", "Robotics", "Software", "Energy", "Foods", "Networks", "", ""]
    static let legalForms = ["Inc.", "GmbH", "Ltd", "LLC", "S.A.", "AG", "B.V.", ""]
    static let freeMail = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "gmx.de", "icloud.com"]

    struct Company {
        let id: String
        let name: String
        let legalForm: String
        let domain: String
    }

    struct Person {
        let id: String
        let company: Int
        let first: String
        let last: String
        let mailbox: String
        let domain: String
        let firstLead: String
    }

    /// The identities of `leadIDs` (in creation order), the same for the same seed.
    package static func assign(leadIDs: [String], seed: UInt64, options: Options = .init()) -> [String: Identity] {
        var random = SimulationRandom(seed: seed, stream: 0x1de7_1717)
        var companies: [Company] = []
        var usedDomains: Set<String> = []
        var usedMailboxes: Set<String> = []
        var people: [Person] = []
        var result: [String: Identity] = [:]
        for lead in leadIDs {
            if !people.isEmpty, random.chance(options.duplicateRate) {
                let person = people[max(0, people.count - 200) + random.index(below: min(200, people.count))]
                let company = companies[person.company]
                result[lead] = Identity(
                    person: person.id, company: company.id, duplicateOf: person.firstLead,
                    fields: fields(person, company, email: variant(of: person, &random), &random))
                continue
            }
            let companyIndex: Int
            if companies.isEmpty || random.chance(1 / options.contactsPerAccount) {
                // Names are unique (two companies of one name are the matcher's known blind spot,
                // not what this truth measures); after 20 tries a number makes one so.
                var name = ""
                var domain = ""
                for attempt in 0... {
                    let stem = random.pick(stems) + random.pick(endings) + (attempt >= 20 ? "\(attempt)" : "")
                    let kind = random.pick(kinds)
                    name = kind.isEmpty ? stem : stem + " " + kind
                    domain = stem.lowercased() + (kind.isEmpty ? "" : "-" + kind.lowercased()) + ".example"
                    if !usedDomains.contains(domain) { break }
                }
                usedDomains.insert(domain)
                companies.append(Company(id: "C\(companies.count + 1)", name: name, legalForm: random.pick(legalForms), domain: domain))
                companyIndex = companies.count - 1
            } else {
                companyIndex = max(0, companies.count - 100) + random.index(below: min(100, companies.count))
            }
            let company = companies[companyIndex]
            let first = random.pick(firstNames)
            let last = random.pick(lastNames)
            let free = random.chance(options.freeMailShare)
            let domain = free ? random.pick(freeMail) : company.domain
            // One mailbox per person: a namesake at the same domain gets a number, as mail admins do.
            var mailbox =
                free ? "\(first.lowercased()).\(last.lowercased())\(random.index(below: 90) + 10)" : "\(first.lowercased()).\(last.lowercased())"
            var n = 2
            while usedMailboxes.contains(mailbox + "@" + domain) {
                mailbox = "\(first.lowercased()).\(last.lowercased())\(n)"
                n += 1
            }
            usedMailboxes.insert(mailbox + "@" + domain)
            let person = Person(
                id: "P\(people.count + 1)", company: companyIndex, first: first, last: last, mailbox: mailbox,
                domain: domain, firstLead: lead)
            people.append(person)
            result[lead] = Identity(
                person: person.id, company: company.id, duplicateOf: nil,
                fields: fields(person, company, email: person.mailbox + "@" + person.domain, &random))
        }
        return result
    }

    /// The same mailbox written another way: capitals, a `+tag`, or (Gmail) dots moved.
    static func variant(of person: Person, _ random: inout SimulationRandom) -> String {
        switch random.index(below: 3) {
        case 0: return (person.mailbox + "@" + person.domain).uppercased()
        case 1: return "\(person.mailbox)+\(random.pick(["webinar", "demo", "news"]))@\(person.domain)"
        default:
            let mailbox = person.domain == "gmail.com" ? person.mailbox.replacingOccurrences(of: ".", with: "") : person.mailbox.capitalized
            return mailbox + "@" + person.domain
        }
    }

    static func fields(_ person: Person, _ company: Company, email: String, _ random: inout SimulationRandom) -> [String: String] {
        var name = company.name
        if random.chance(0.05), name.count > 6 {
            // One letter mistyped (never the first): the fuzzy rule's case.
            var letters = Array(name)
            let at = 1 + random.index(below: letters.count - 2)
            if letters[at].isLetter { letters[at] = letters[at] == "e" ? "a" : "e" }
            name = String(letters)
        }
        switch random.index(below: 4) {
        case 0: name += company.legalForm.isEmpty ? "" : " " + company.legalForm
        case 1: name = name.uppercased()
        case 2: name += company.legalForm.isEmpty ? "" : ", " + company.legalForm.replacingOccurrences(of: ".", with: "")
        default: break
        }
        var fields = ["first_name": person.first, "last_name": person.last, "email": email, "company": name]
        if random.chance(1.0 / 3) { fields["website"] = "https://www.\(company.domain)/" }
        return fields
    }
}
