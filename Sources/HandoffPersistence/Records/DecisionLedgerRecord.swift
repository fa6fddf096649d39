import Foundation
import HandoffRules

/// What a ledger entry is about (routing or SLA), for the stores' readers.
package typealias DecisionLedgerKind = DecisionLedgerEntry.Kind

/// One stored entry of a lead's decision ledger (see ``DecisionLedgerEntry``): written in the
/// unit of work of the decision it explains, never updated.
package struct DecisionLedgerRecord: Sendable, Hashable {
    /// Store-assigned row id (ledger order); nil before it is stored.
    package var rowID: Int64?
    /// The lead; must be stored.
    package var leadID: String
    package var kind: DecisionLedgerEntry.Kind
    /// When the decision was made (UTC, millisecond precision).
    package var decidedAt: Date
    /// The event or timer id whose unit made it.
    package var source: String
    /// The entry's one-line summary (for listings without decoding the entry).
    package var summary: String
    /// The ``DecisionLedgerEntry`` as JSON.
    package var entry: JSONText

    package init(
        rowID: Int64? = nil, leadID: String, kind: DecisionLedgerEntry.Kind, decidedAt: Date, source: String, summary: String, entry: JSONText
    ) {
        self.rowID = rowID
        self.leadID = leadID
        self.kind = kind
        self.decidedAt = decidedAt
        self.source = source
        self.summary = summary
        self.entry = entry
    }

    /// The record of `entry` for `leadID` decided at `decidedAt`.
    package init(leadID: String, decidedAt: Date, entry: DecisionLedgerEntry) throws(StoreError) {
        self.init(
            leadID: leadID, kind: entry.kind, decidedAt: decidedAt, source: entry.source, summary: entry.summary,
            entry: try JSONText(encoding: entry))
    }

    /// The stored entry, decoded.
    package func decoded() throws(StoreError) -> DecisionLedgerEntry {
        try entry.decode(DecisionLedgerEntry.self)
    }
}
