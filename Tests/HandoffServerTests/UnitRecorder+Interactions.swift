import Foundation
import HandoffPersistence

/// The recorder forwards conversation reads and writes to SQLite untouched.
extension UnitRecorder {
    func storeInteraction(_ record: InteractionRecord, hits: [TrackerHitRecord]) async throws(StoreError) -> WriteOutcome {
        try await base.storeInteraction(record, hits: hits)
    }
    func interactions(leadID: String) async throws(StoreError) -> [InteractionRecord] { try await base.interactions(leadID: leadID) }
    func trackerHits(leadID: String) async throws(StoreError) -> [TrackerHitRecord] { try await base.trackerHits(leadID: leadID) }
    func trackerHits(leadsCreatedIn period: ReportPeriod) async throws(StoreError) -> [TrackerHitRecord] {
        try await base.trackerHits(leadsCreatedIn: period)
    }
    func leadsWithInteractions(createdIn period: ReportPeriod) async throws(StoreError) -> [String] {
        try await base.leadsWithInteractions(createdIn: period)
    }
    func leadIDs(email address: String) async throws(StoreError) -> [String] { try await base.leadIDs(email: address) }
}
