import Foundation

/// Serialized round-robin state (turn counters) of one router, versioned for compare-and-swap.
///
/// Saving requires the revision that was read; the store bumps it by one. A save whose expected
/// revision is stale fails with ``StoreError/routerStateConflict(name:expectedRevision:actualRevision:)``,
/// so two writers never hand out the same turn.
package struct RouterStateRecord: Sendable, Hashable, Codable {
    /// Router name (one per playbook, usually "default").
    package var name: String
    /// Serialized state, owned by the routing module.
    package var state: JSONText
    /// 0 for a router never saved; incremented by each save.
    package var revision: Int64
    /// When it was last saved.
    package var updatedAt: Date

    package init(name: String, state: JSONText, revision: Int64, updatedAt: Date) {
        self.name = name
        self.state = state
        self.revision = revision
        self.updatedAt = updatedAt
    }
}
