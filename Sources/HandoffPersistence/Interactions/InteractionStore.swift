import Foundation

/// What the store keeps of conversations: captured interactions and their tracker hits, per lead
/// (migration `0008-interactions`). Both backends implement it; ``HandoffStore`` refines it.
package protocol InteractionStore: Sendable {
    /// Stores the interaction and its tracker hits in one transaction.
    ///
    /// - Returns: ``WriteOutcome/stored(rowID:)`` with the interaction's id, or
    ///   ``WriteOutcome/alreadyStored`` when the lead already has an interaction with the same
    ///   `contentSHA256` (nothing is written then).
    /// - Throws: ``StoreError/unknownLead(leadID:referencedBy:field:)`` when the lead is not
    ///   stored; ``StoreError/invalidField(record:field:reason:)`` for a record that fails
    ///   ``InteractionRecord/validated()``.
    func storeInteraction(_ record: InteractionRecord, hits: [TrackerHitRecord]) async throws(StoreError) -> WriteOutcome

    /// The lead's interactions, oldest first (by `occurredAt`, unknown times last, then by id).
    func interactions(leadID: String) async throws(StoreError) -> [InteractionRecord]

    /// The tracker hits of the lead's interactions, by interaction id, then line.
    func trackerHits(leadID: String) async throws(StoreError) -> [TrackerHitRecord]

    /// Every tracker hit of every lead created in `period` (for the reviews), by lead.
    func trackerHits(leadsCreatedIn period: ReportPeriod) async throws(StoreError) -> [TrackerHitRecord]

    /// Ids of the leads created in `period` that have at least one captured interaction (the
    /// reviews' denominator for tracker frequencies), sorted.
    func leadsWithInteractions(createdIn period: ReportPeriod) async throws(StoreError) -> [String]

    /// Ids of the leads whose `email` field equals `address`, ignoring case and surrounding white space.
    func leadIDs(email address: String) async throws(StoreError) -> [String]
}
