import Foundation

/// One lead merged into another (issue 16): the same person arrived twice (a second form fill
/// with the same normalised e-mail), or the CRM merged two records.
///
/// Nothing of the merged lead is rewritten: its stored rows (lead, journal, scores, hand-offs)
/// stay under its own id, so ``endedAt`` (an unmerge) gives it back exactly. While the merge
/// stands, events addressed to the merged id are applied to the survivor, and the survivor's
/// scoring reads both leads' engagement. ``fieldChanges`` records what the merge wrote into the
/// survivor's fields, so an unmerge can put back what no later event changed again.
package struct LeadMergeRecord: Sendable, Hashable {
    /// Why the two leads are one.
    package enum Rule: String, Sendable, Hashable, Codable, CaseIterable {
        /// A new lead's normalised e-mail equals a stored lead's (see `EmailKey` in HandoffRules).
        case email
        /// The CRM (or a `merge` event) said so.
        case crm
    }

    /// A survivor field the merge changed, with its value before and after (nil: absent).
    package struct FieldChange: Sendable, Hashable, Codable {
        package var field: String
        package var before: String?
        package var after: String?

        package init(field: String, before: String?, after: String?) {
            self.field = field
            self.before = before
            self.after = after
        }
    }

    /// The lead that stops being addressed on its own; primary key (one standing merge each).
    package var mergedID: String
    package var survivorID: String
    package var rule: Rule
    /// The normalised e-mail, or the CRM's words for the merge.
    package var evidence: String
    /// The event that merged them.
    package var eventID: String
    package var fieldChanges: [FieldChange]
    package var mergedAt: Date
    /// When an `unmerge` ended it; nil while it stands.
    package var endedAt: Date?
    package var endEventID: String?

    package init(
        mergedID: String, survivorID: String, rule: Rule, evidence: String, eventID: String, fieldChanges: [FieldChange], mergedAt: Date,
        endedAt: Date? = nil, endEventID: String? = nil
    ) {
        self.mergedID = mergedID
        self.survivorID = survivorID
        self.rule = rule
        self.evidence = evidence
        self.eventID = eventID
        self.fieldChanges = fieldChanges
        self.mergedAt = mergedAt
        self.endedAt = endedAt
        self.endEventID = endEventID
    }

    /// Whether the merge stands.
    package var isStanding: Bool { endedAt == nil }
}
