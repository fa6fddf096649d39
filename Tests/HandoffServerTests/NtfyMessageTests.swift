import Foundation
import HandoffPersistence
import Testing

@testable import HandoffServer

/// Which ntfy pushes carry buttons, and their priorities (https://docs.ntfy.sh/publish/#message-priority).
@Suite struct NtfyMessageTests {
    static let push = PushActions(
        signer: ActionTokenSigner(keyBytes: Data(repeating: 1, count: 32)), lifetimeSeconds: 3600, baseURL: "https://b.example/")

    static func message(_ kind: String) -> NtfyMessage {
        NtfyMessage.make(
            alert: AlertRecord(id: "e-1/1-\(kind)", kind: kind, leadID: "L1", target: "ana", createdAt: Date(timeIntervalSince1970: 0)),
            topic: "t", rep: "ana", push: push, now: Date(timeIntervalSince1970: 0))
    }

    @Test func onlyAlertsWhoseReaderMayTakeTheLeadCarryButtons() {
        for kind in ["new-high-priority", "fallback-queue", "sla-reminder", "reassignment"] {
            #expect(Self.message(kind).actions?.map(\.label) == ["Accept", "Log a call"], "\(kind)")
            #expect(Self.message(kind).click?.hasPrefix("https://b.example/actions/") == true, "\(kind)")
        }
        for kind in ["assigned-by-hand", "reassignment-voided", "manager-notification"] {
            #expect(Self.message(kind).actions == nil && Self.message(kind).click == nil, "\(kind)")
        }
        #expect(Self.message("new-high-priority").priority == 5 && Self.message("sla-reminder").priority == 4)
        #expect(Self.message("reassignment").priority == 3)
    }
}
