import BatonSupport
import Foundation
import HandoffPersistence

/// An alert as ntfy's "publish as JSON" body (https://docs.ntfy.sh/publish/#publish-as-json):
/// POSTed to the server's root URL with `topic`, `title`, `message`, `priority` (1–5; 5 is
/// `max`/`urgent`, #message-priority), `tags` (emoji short codes show as emoji, #tags-emojis),
/// `click` (#click-action) and up to three `actions` (#action-buttons: an `http` action sends
/// `method` to `url` with `headers` and `body` from the phone; a `view` action opens `url`).
/// A protected topic gets `Authorization: Bearer <access token>` (#access-tokens).
///
/// Priority: a new high-priority hand-off is 5 (urgent); a lead parked in a queue, an SLA reminder
/// and a manager notification 4; anything else 3. With a rep to act for (see
/// ``AlertDeliverer``) and a lead: *Accept* is an `http` POST of its action token (the phone
/// shows the answer), *Log a call* opens the token's page (the rep picks how the call went),
/// *Reassign to triage* (for a lead the rep holds, ``releasable``) opens its page (the rep
/// confirms, with an optional reason), and `click` opens the lead's hand-off page behind the
/// Accept token.
struct NtfyMessage: Encodable, Sendable, Equatable {
    struct Action: Encodable, Sendable, Equatable {
        var action: String
        var label: String
        var url: String
        var method: String?
        var headers: [String: String]?
        var body: String?
        var clear: Bool
    }

    var topic: String
    var title: String
    var message: String
    var priority: Int
    var tags: [String]
    var click: String?
    var actions: [Action]?

    static func priority(kind: String) -> Int {
        switch kind {
        case "new-high-priority": 5
        case "fallback-queue", "handed-back", "sla-reminder", "manager-notification": 4
        default: 3
        }
    }

    static func tags(kind: String) -> [String] {
        let emoji =
            switch kind {
            case "new-high-priority": "rotating_light"
            case "fallback-queue", "handed-back": "inbox_tray"
            case "sla-reminder": "alarm_clock"
            case "manager-notification": "warning"
            default: "arrows_counterclockwise"
            }
        return [emoji, kind]
    }

    /// The alerts whose reader may take the lead: a new hand-off, a parked lead, a reminder, a
    /// reassignment to them. Not a manager's notification, nor the former holder's notice that a
    /// lead left them (Accept there would take it back over the manager's decision).
    static let actionable: Set<String> = ["new-high-priority", "fallback-queue", "sla-reminder", "reassignment", "handed-back"]

    /// The actionable alerts whose reader holds the lead when the alert is addressed to them (its
    /// target is the rep), so may hand it back to triage; not a lead parked in, or moved to, the
    /// queue. ntfy shows at most three buttons: these alerts use all three.
    static let releasable: Set<String> = ["new-high-priority", "sla-reminder", "reassignment"]

    /// The message for `alert` to `topic`; buttons when `rep` is set, the alert names a lead and
    /// its kind is ``actionable``.
    static func make(alert: AlertRecord, topic: String, rep: String?, push: PushActions, now: Date) -> NtfyMessage {
        let words = alert.kind.replacingOccurrences(of: "-", with: " ")
        var message = NtfyMessage(
            topic: topic, title: "Baton: " + words + (alert.leadID.map { ", lead \($0)" } ?? ""), message: AlertDeliverer.message(alert),
            priority: priority(kind: alert.kind), tags: tags(kind: alert.kind))
        guard let rep, let lead = alert.leadID, actionable.contains(alert.kind) else { return message }
        let accept = push.url(push.token(.accept, alertID: alert.id, repID: rep, leadID: lead, now: now))
        let logCall = push.url(push.token(.logCall, alertID: alert.id, repID: rep, leadID: lead, now: now))
        message.click = accept
        message.actions = [
            Action(
                action: "http", label: ActionToken.Action.accept.label, url: accept, method: "POST", headers: ["Accept": "application/json"],
                clear: true),
            Action(action: "view", label: ActionToken.Action.logCall.label, url: logCall, clear: false),
        ]
        if releasable.contains(alert.kind), alert.target == rep {
            // A page, not a one-tap POST: giving a lead away asks for a confirmation (and a reason).
            let reassign = push.url(push.token(.reassign, alertID: alert.id, repID: rep, leadID: lead, now: now))
            message.actions?.append(Action(action: "view", label: ActionToken.Action.reassign.label, url: reassign, clear: false))
        }
        return message
    }

    init(topic: String, title: String, message: String, priority: Int, tags: [String], click: String? = nil, actions: [Action]? = nil) {
        self.topic = topic
        self.title = title
        self.message = message
        self.priority = priority
        self.tags = tags
        self.click = click
        self.actions = actions
    }
}
