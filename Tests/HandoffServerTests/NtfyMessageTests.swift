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
        // The rep holds the lead: the third button gives it back to triage (ntfy shows at most three).
        for kind in ["new-high-priority", "sla-reminder", "reassignment"] {
            let message = Self.message(kind)
            #expect(message.actions?.map(\.label) == ["Accept", "Log a call", "Reassign to triage"], "\(kind)")
            #expect(message.actions?.map(\.action) == ["http", "view", "view"], "\(kind): giving a lead away opens a page to confirm")
            #expect(message.click?.hasPrefix("https://b.example/actions/") == true, "\(kind)")
        }
        // A lead parked in the queue is the queue's already.
        for kind in ["fallback-queue", "handed-back"] {
            #expect(Self.message(kind).actions?.map(\.label) == ["Accept", "Log a call"], "\(kind)")
        }
        for kind in ["assigned-by-hand", "reassignment-voided", "manager-notification"] {
            #expect(Self.message(kind).actions == nil && Self.message(kind).click == nil, "\(kind)")
        }
        #expect(Self.message("new-high-priority").priority == 5 && Self.message("sla-reminder").priority == 4)
        #expect(Self.message("reassignment").priority == 3)
    }
}
