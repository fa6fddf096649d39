import Foundation
import HandoffFlow
import Testing

@testable import HandoffServer

/// A hand-back reaches the CRM as one owner change, from the rep to the queue, with its own
/// reason (not an SLA reassignment's).
@Suite struct HandBackSyncTests {
    @Test func aHandBackIsAnOwnerChangeToTheQueue() throws {
        let at = Date(timeIntervalSince1970: 1_772_445_600)
        let effect = EngineEffect(leadID: "L1", at: at, kind: .handedBack(repID: "ana", queue: "sales-triage", reason: "wrong region"))
        let payload = try #require(CRMSyncPayload(source: .event(type: "release"), id: "r1", leadID: "L1", effects: [effect]))
        #expect(payload.records.count == 1)
        let record = try #require(payload.records.first)
        #expect(record.change == "owner" && record.reason == "handed_back" && record.by == "ana")
        #expect(record.from == CRMSyncPayload.Holder(.rep("ana")) && record.to == CRMSyncPayload.Holder(.fallbackQueue("sales-triage")))
        #expect(payload.changes == ["lead L1: handed back to sales-triage by ana: wrong region"])
    }
}
