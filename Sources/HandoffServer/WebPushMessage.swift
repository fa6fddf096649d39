import BatonSupport
import Crypto
import Foundation
import HandoffPersistence

/// An alert as a Web Push message: the JSON the dashboard's service worker shows as a
/// notification, and the RFC 8030 request headers that carry it.
///
/// Headers (RFC 8030 §5.2–§5.4, RFC 8291 §4, RFC 8292 §3): `TTL` (seconds the push service keeps
/// it for an offline browser: as long as its buttons work), `Urgency: high` for a new
/// high-priority hand-off (else `normal`), `Topic` per lead (at most 32 characters of the URL-safe
/// base64 alphabet, §5.4) so a newer alert about a lead replaces an undelivered older one,
/// `Content-Encoding: aes128gcm`, and `Authorization: vapid t=…, k=…`.
struct WebPushMessage: Encodable, Sendable {
    struct Action: Encodable, Sendable, Equatable {
        /// The notification action's id (`accept`, `log-call`), as `notificationclick` sees it.
        var action: String
        var title: String
        var url: String
    }

    var title: String
    var body: String
    /// Replaces an earlier notification about the same lead on the device (Notifications API `tag`).
    var tag: String
    /// Opened when the notification itself is clicked: the lead's Accept page (a form, not an effect).
    var url: String?
    var actions: [Action]
    var kind: String
    @Nullable var leadID: String?
    var alertID: String

    enum CodingKeys: String, CodingKey {
        case title, body, tag, url, actions, kind
        case leadID = "lead_id"
        case alertID = "alert_id"
    }

    /// The longest notification body sent (the whole message must fit one 4096-byte record).
    static let bodyLimit = 1000

    static func make(alert: AlertRecord, rep: String, push: PushActions, now: Date) -> WebPushMessage {
        var body = AlertDeliverer.message(alert)
        if body.count > bodyLimit { body = String(body.prefix(bodyLimit - 1)) + "…" }
        let words = alert.kind.replacingOccurrences(of: "-", with: " ")
        var message = WebPushMessage(
            title: "Baton: " + words + (alert.leadID.map { ", lead \($0)" } ?? ""), body: body, tag: topic(alert), url: nil, actions: [],
            kind: alert.kind, leadID: alert.leadID, alertID: alert.id)
        guard let lead = alert.leadID, NtfyMessage.actionable.contains(alert.kind) else { return message }
        // Every button opens a page: a notification action cannot send a POST by itself, and the
        // page's form is what applies the token (a previewer fetching the URL changes nothing).
        let accept = push.url(push.token(.accept, alertID: alert.id, repID: rep, leadID: lead, now: now))
        let logCall = push.url(push.token(.logCall, alertID: alert.id, repID: rep, leadID: lead, now: now))
        message.url = accept
        message.actions = [
            Action(action: "accept", title: ActionToken.Action.accept.label, url: accept),
            Action(action: "log-call", title: ActionToken.Action.logCall.label, url: logCall),
        ]
        if NtfyMessage.releasable.contains(alert.kind), alert.target == rep {
            // Browsers show the first `Notification.maxActions` buttons (two in desktop Chrome,
            // which then shows Accept and Log a call); ntfy shows all three.
            let reassign = push.url(push.token(.reassign, alertID: alert.id, repID: rep, leadID: lead, now: now))
            message.actions.append(Action(action: "reassign", title: ActionToken.Action.reassign.label, url: reassign))
        }
        return message
    }

    /// RFC 8030 §5.4's `Topic`: 32 characters of base64url from SHA-256 of the lead id (of the
    /// row's id for an alert about no lead), so it says nothing about the lead to the push service.
    static func topic(_ alert: AlertRecord) -> String {
        let source = alert.leadID.map { "lead:" + $0 } ?? "alert:" + alert.id
        return String(Base64URL.encode(Data(SHA256.hash(data: Data(source.utf8)))).prefix(32))
    }

    static func urgency(kind: String) -> String { kind == "new-high-priority" ? "high" : "normal" }

    /// The request to `subscription` carrying `plaintext`, encrypted for it.
    static func request(
        _ plaintext: Data, to subscription: PushSubscriptionRecord, alert: AlertRecord, vapid: VAPIDToken, ttl: Int, now: Date
    ) throws -> OutboundRequest {
        guard let p256dh = Base64URL.decode(subscription.p256dh), let auth = Base64URL.decode(subscription.auth) else {
            throw WebPushEncryption.Failure.badSubscriptionKey
        }
        let body = try WebPushEncryption.encrypt(plaintext, p256dh: p256dh, auth: auth)
        guard let authorization = vapid.authorization(endpoint: subscription.endpoint, now: now) else {
            throw DeliveryError.misconfigured(target: subscription.rep, key: "endpoint")
        }
        return OutboundRequest(
            method: "POST", url: subscription.endpoint,
            headers: [
                ("Authorization", authorization), ("TTL", String(ttl)), ("Urgency", urgency(kind: alert.kind)), ("Topic", topic(alert)),
                ("Content-Encoding", "aes128gcm"), ("Content-Type", "application/octet-stream"),
            ], body: body)
    }
}
