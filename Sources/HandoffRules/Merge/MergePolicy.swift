import Foundation
import ScoringModelFormat

/// How two leads of one person become one (playbook section `merge:`, issue 16).
///
/// ```yaml
/// merge:
///   by_email: true                    # a new lead whose normalised e-mail a stored lead has joins it
///   fields: latest_non_empty          # the rule for every field not named below
///   field_rules:
///     lead_source: earliest_non_empty # where the person first came from stays
///     phone: survivor
/// ```
/// Without the section: by e-mail, latest non-empty value wins.
package struct MergePolicy: Sendable, Hashable {
    /// Which lead's value a merged field takes. An empty (or blank) value never wins over a
    /// non-empty one, whatever the rule.
    package enum FieldRule: String, Sendable, Hashable, CaseIterable {
        /// The value of the lead whose fields were updated last (the incoming event's, for a
        /// second form fill); ties go to the survivor.
        case latestNonEmpty = "latest_non_empty"
        /// The value of the lead created first; ties go to the survivor.
        case earliestNonEmpty = "earliest_non_empty"
        /// The survivor's value; the merged lead's only fills a field the survivor lacks.
        case survivor
    }

    /// Whether a new lead with a stored lead's normalised e-mail (``EmailKey``) joins it.
    package var byEmail: Bool
    package var fields: FieldRule
    package var fieldRules: [String: FieldRule]

    package init(byEmail: Bool = true, fields: FieldRule = .latestNonEmpty, fieldRules: [String: FieldRule] = [:]) {
        self.byEmail = byEmail
        self.fields = fields
        self.fieldRules = fieldRules
    }

    package static let keys = ["by_email", "fields", "field_rules"]

    static func read(_ entry: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> MergePolicy {
        let given = try reader.entries(entry, allowed: keys)
        var policy = MergePolicy()
        if let flag = reader.given(given, "by_email") { policy.byEmail = try reader.flag(flag) }
        if let rule = reader.given(given, "fields") { policy.fields = try reader.choice(rule, as: FieldRule.self) }
        if let rules = reader.given(given, "field_rules") {
            for (field, ruleEntry) in try reader.orderedEntries(rules, allowed: nil) {
                policy.fieldRules[field] = try reader.choice(ruleEntry, as: FieldRule.self)
            }
        }
        return policy
    }

    /// One side of a merge: a lead's fields and the instants the rules compare.
    package struct Side: Sendable {
        package var fields: [String: String]
        package var createdAt: Date
        package var updatedAt: Date

        package init(fields: [String: String], createdAt: Date, updatedAt: Date) {
            self.fields = fields
            self.createdAt = createdAt
            self.updatedAt = updatedAt
        }
    }

    /// The survivor's fields after taking in `merged`'s, and every field that changed (name,
    /// value before, value after), sorted by name.
    package func merge(survivor: Side, merged: Side) -> (fields: [String: String], changes: [(field: String, before: String?, after: String?)]) {
        var result = survivor.fields
        var changes: [(field: String, before: String?, after: String?)] = []
        for field in Set(survivor.fields.keys).union(merged.fields.keys).sorted() {
            let mine = Self.nonEmpty(survivor.fields[field])
            guard let theirs = Self.nonEmpty(merged.fields[field]) else { continue }
            let takeTheirs: Bool
            if mine == nil {
                takeTheirs = true
            } else {
                switch fieldRules[field] ?? fields {
                case .latestNonEmpty: takeTheirs = merged.updatedAt > survivor.updatedAt
                case .earliestNonEmpty: takeTheirs = merged.createdAt < survivor.createdAt
                case .survivor: takeTheirs = false
                }
            }
            guard takeTheirs, survivor.fields[field] != theirs else { continue }
            changes.append((field, survivor.fields[field], theirs))
            result[field] = theirs
        }
        return (result, changes)
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return value
    }
}
