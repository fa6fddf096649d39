import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import ScoringModelFormat

/// The body of every webhook Baton sends (alert channels of kind `webhook` and the CRM sync URL):
/// a CloudEvents 1.0 event in structured content mode, JSON format, sent with
/// `Content-Type: application/cloudevents+json; charset=utf-8`
/// (CloudEvents spec v1.0.2 §3.1 required and optional attributes; JSON event format §3;
/// HTTP protocol binding §3.2 structured content mode).
///
/// ```json
/// {"specversion": "1.0", "id": "e-17/1-new-high-priority", "source": "urn:baton:serve",
///  "type": "io.baton.handoff.created", "subject": "L1", "time": "2026-03-02T14:05:00Z",
///  "datacontenttype": "application/json", "data": {…}}
/// ```
/// `id` is the outbox row's id (unique per source, the same on every retry), `subject` the lead
/// id, `time` when the row was raised. Checked by the CloudEvents Python SDK in `OutboxDeliveryTests`.
struct OutboundCloudEvent: Encodable, Sendable {
    let specversion = "1.0"
    let id: String
    let source: String
    let type: String
    @Nullable var subject: String?
    let time: String
    let datacontenttype = "application/json"
    let data: JSONValue

    static let contentType = "application/cloudevents+json; charset=utf-8"

    init(alert: AlertRecord, source: String, data: JSONValue) {
        id = alert.id
        self.source = source
        type = Self.type(ofKind: alert.kind)
        subject = alert.leadID
        time = EventTime.format(alert.createdAt)
        self.data = data
    }

    /// The CloudEvents `type` of an outbox row's kind (reverse-DNS prefix `io.baton.`, as the
    /// spec recommends). A kind not listed here (from a newer version) keeps its name under `io.baton.alert.`.
    static func type(ofKind kind: String) -> String {
        switch kind {
        case "new-high-priority": "io.baton.handoff.created"
        case "fallback-queue": "io.baton.lead.queued"
        case "sla-reminder": "io.baton.sla.breached"
        case "manager-notification": "io.baton.sla.escalated"
        case "reassignment": "io.baton.handoff.reassigned"
        case "handed-back": "io.baton.handoff.handed_back"
        case "reassignment-voided": "io.baton.handoff.reassignment_voided"
        case "assigned-by-hand": "io.baton.handoff.assigned_by_hand"
        // The write-back is sent in the CRM's own shape, not as a CloudEvent; its row names the change all the same.
        case AlertDeliverer.crmKind, AlertDeliverer.writeBackKind: "io.baton.lead.changed"
        default: "io.baton.alert." + kind.replacingOccurrences(of: "-", with: "_")
        }
    }

    /// Every type Baton sends, for the README and the OpenAPI document.
    static let knownKinds = [
        "new-high-priority", "fallback-queue", "sla-reminder", "manager-notification", "reassignment", "reassignment-voided",
        "assigned-by-hand", "handed-back", AlertDeliverer.crmKind,
    ]
}
