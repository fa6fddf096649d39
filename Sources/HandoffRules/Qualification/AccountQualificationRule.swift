import Foundation
import ScoringModelFormat

/// A qualification rule over a lead's whole account (issue 16, `qualification.account_rules`):
/// B2B deals are bought by groups, so "two engaged contacts, one of them with budget authority"
/// can make a lead SQL that its own signals leave at nurture.
///
/// ```yaml
/// qualification:
///   account_rules:
///     - name: buying_group
///       stage: sql
///       engaged_contacts: 2                                   # contacts meeting engaged_when (this lead included)
///       engaged_when: [{score: engagement_points, at_least: 40}]
///       any_contact: [{field: budget_authority, equals: "yes"}]   # and one engaged contact meets these
/// ```
/// The contacts are the lead and the other leads of its account (leads merged into another count
/// once, as their survivor), each read as it stands at the decision (fields, engagement counted
/// to that instant, score now). A rule applies only when it would raise the lead's own stage; the
/// decision keeps every contact's verdict as evidence (``AccountRuleEvidence``). Other contacts are
/// not re-decided by it: each is, at its own next event.
package struct AccountQualificationRule: Sendable, Equatable {
    package var name: String
    package var stage: QualificationStage
    /// How many contacts must meet ``engagedWhen`` (all of its conditions), the lead included.
    package var engagedContacts: Int
    package var engagedWhen: [QualificationCondition]
    /// Conditions one of the engaged contacts must meet (all of them); empty: none.
    package var anyContact: [QualificationCondition]
    package var line: Int

    package init(
        name: String, stage: QualificationStage, engagedContacts: Int, engagedWhen: [QualificationCondition],
        anyContact: [QualificationCondition] = [], line: Int = 0
    ) {
        self.name = name
        self.stage = stage
        self.engagedContacts = engagedContacts
        self.engagedWhen = engagedWhen
        self.anyContact = anyContact
        self.line = line
    }

    static let keys = ["name", "stage", "engaged_contacts", "engaged_when", "any_contact"]

    /// The most contacts an account rule reads (the oldest first); a larger account is judged on these.
    package static let contactLimit = 50

    static func read(_ item: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> AccountQualificationRule {
        let fields = try reader.entries(item, allowed: keys)
        func required(_ key: String, _ hint: String) throws(PlaybookError) -> YAMLEntry {
            guard let entry = fields[key] else { throw .yaml(.missingKey(file: reader.file, line: item.line, key: "\(item.key).\(key)", hint: hint)) }
            return entry
        }
        let name = try reader.text(try required("name", "Name the rule; the name is stored as qualification evidence."))
        let stage = try reader.choice(try required("stage", "Say which stage the rule grants: mql or sql."), from: [QualificationStage.mql, .sql])
        let countEntry = try required("engaged_contacts", "Say how many engaged contacts the account needs, e.g. `engaged_contacts: 2`.")
        let count = try reader.wholeNumber(countEntry)
        guard (1...contactLimit).contains(count) else {
            throw reader.invalid(
                countEntry, "engaged_contacts \(count) must be 1…\(contactLimit) (an account rule reads at most \(contactLimit) contacts)")
        }
        let whenEntry = try required(
            "engaged_when", "Say what makes a contact engaged, e.g. `engaged_when: [{score: engagement_points, at_least: 40}]`.")
        var engaged: [QualificationCondition] = []
        for condition in try reader.items(whenEntry) { engaged.append(try QualificationPlaybook.readCondition(condition, reader: reader)) }
        guard !engaged.isEmpty else {
            throw .yaml(.wrongShape(file: reader.file, line: whenEntry.line, key: whenEntry.key, expected: "a non-empty list of conditions"))
        }
        try QualificationPlaybook.checkSatisfiable(engaged, rule: name, entry: whenEntry, reader: reader)
        var any: [QualificationCondition] = []
        if let anyEntry = fields["any_contact"] {
            for condition in try reader.items(anyEntry) { any.append(try QualificationPlaybook.readCondition(condition, reader: reader)) }
            try QualificationPlaybook.checkSatisfiable(any, rule: name, entry: anyEntry, reader: reader)
        }
        return AccountQualificationRule(name: name, stage: stage, engagedContacts: count, engagedWhen: engaged, anyContact: any, line: item.line)
    }
}

/// One contact of an account as an account rule reads it: the lead (fields and events) and its score now.
package struct AccountContact: Sendable {
    package var lead: Lead
    package var score: LeadScore

    package init(lead: Lead, score: LeadScore) {
        self.lead = lead
        self.score = score
    }
}

/// What an account rule found: the rule, the account and each contact's verdict.
package struct AccountRuleEvidence: Sendable, Codable, Equatable {
    package struct Contact: Sendable, Codable, Equatable {
        package var leadID: String
        package var engaged: Bool
        /// Whether it meets `any_contact` (nil when the rule has none).
        package var anyContact: Bool?
        package var conditions: [ConditionEvidence]

        enum CodingKeys: String, CodingKey {
            case engaged, conditions
            case leadID = "lead_id"
            case anyContact = "any_contact"
        }
    }

    package var rule: String
    package var stage: QualificationStage
    package var accountID: String
    package var passed: Bool
    package var engagedContacts: Int
    package var required: Int
    package var contacts: [Contact]
    package var line: Int

    enum CodingKeys: String, CodingKey {
        case rule, stage, passed, required, contacts, line
        case accountID = "account_id"
        case engagedContacts = "engaged_contacts"
    }

    /// One line for the evidence: `buying_group: 2 of 2 engaged contacts (L1, L4), budget_authority = yes at L4`.
    package var summary: String {
        let engaged = contacts.filter(\.engaged).map(\.leadID)
        var text = "\(rule) on account \(accountID): \(engagedContacts) engaged contact(s) of \(required) needed"
        if !engaged.isEmpty { text += " (\(engaged.joined(separator: ", ")))" }
        if contacts.contains(where: { $0.anyContact != nil }) {
            let meeting = contacts.filter { $0.engaged && $0.anyContact == true }.map(\.leadID)
            text += meeting.isEmpty ? ", none meeting any_contact" : ", any_contact met by \(meeting.joined(separator: ", "))"
        }
        return text
    }
}
