import BatonSupport
import Foundation

/// One entry of a lead's decision ledger: a routing decision (who was considered, why each was
/// skipped or passed over, who won) or an SLA transition (what the clock did and the business
/// time it ran), stored in the same transaction as the decision it explains.
///
/// The stored JSON, `GET /leads/{id}/decisions` and `baton handoff explain --json` are this
/// value as it encodes (snake_case keys, instants as RFC 3339 text), so every reader sees the
/// same document.
package struct DecisionLedgerEntry: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case routing, sla
    }

    package let kind: Kind
    /// When the decision was made (RFC 3339, UTC).
    package let at: String
    /// The event (or SLA timer) whose unit of work made it.
    package let source: String
    /// One line for listings ("assigned to ana by round-robin among ana, ben").
    package let summary: String
    /// Set for `routing` entries.
    package let routing: RoutingExplanation?
    /// Set for `sla` entries.
    package let sla: SLAExplanation?

    enum CodingKeys: String, CodingKey { case kind, at, source, summary, routing, sla }

    /// Every key is written, `routing` or `sla` as null when the entry is of the other kind.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(at, forKey: .at)
        try c.encode(source, forKey: .source)
        try c.encode(summary, forKey: .summary)
        try c.encode(routing, forKey: .routing)
        try c.encode(sla, forKey: .sla)
    }

    package init(kind: Kind, at: Date, source: String, summary: String, routing: RoutingExplanation? = nil, sla: SLAExplanation? = nil) {
        self.kind = kind
        self.at = RFC3339.text(secondsSince1970: at.timeIntervalSince1970)
        self.source = source
        self.summary = summary
        self.routing = routing
        self.sla = sla
    }
}

/// Instants in the ledger's documents: RFC 3339 text, milliseconds only when not zero.
package enum LedgerTime {
    package static func text(_ date: Date) -> String { RFC3339.text(secondsSince1970: date.timeIntervalSince1970) }
}
