import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import Logging
import ScoringModelFormat

/// The outbox's delivery loop: delivers stored alerts, CRM sync messages and CRM write-backs to
/// their endpoints, at least once, and records every attempt on the row.
///
/// Runs in its own loop: ingest only stores rows (in the transaction of the event that caused
/// them), so a dead endpoint never slows an event's acknowledgement and a crash between commit and
/// delivery loses nothing. Endpoint by target (rep id or queue name) from `alert_channels`, else
/// `default_channel`; rows of kind `crm-sync` go to `crm_sync_url`, of kind `crm-writeback` to the
/// CRM's API (``CRMWriteBack``). What an attempt's answer leads to (delivered, retry with backoff
/// and jitter, dead letter) is ``OutboxRetryPolicy``'s decision.
///
/// Webhook bodies are CloudEvents 1.0 (``OutboundCloudEvent``), signed per Standard Webhooks when a
/// secret is configured (``WebhookSigner``); Slack-style channels get Slack's `{"text": …}`.
package actor AlertDeliverer {
    let store: any HandoffStore
    let configuration: ServiceConfiguration
    let metrics: ServiceMetrics
    let now: @Sendable () -> Date
    let logger: Logger
    let smtp: SMTPClient?
    /// Signs every webhook POST (CRM sync, webhook and Slack-style channels) when
    /// `webhook_secret_file` is configured; nil sends them unsigned.
    let signer: WebhookSigner?
    /// The CRM write-back, when `crm_writeback` is configured.
    let writeBack: CRMWriteBack?
    /// Action tokens and ntfy access tokens, when a channel pushes (``PushActions``).
    let push: PushActions?
    let policy: OutboxRetryPolicy
    /// A number in [0, 1) per retry (random; tests fix it).
    let jitter: @Sendable () -> Double
    /// The roster in force (reps' alert preferences and time zones); nil without an engine.
    let roster: @Sendable () async -> RepRoster?

    init(
        store: any HandoffStore, configuration: ServiceConfiguration, metrics: ServiceMetrics, now: @escaping @Sendable () -> Date, logger: Logger,
        signer: WebhookSigner? = nil, writeBack: CRMWriteBack? = nil, push: PushActions? = nil,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, roster: @escaping @Sendable () async -> RepRoster? = { nil }
    ) {
        self.push = push
        self.roster = roster
        self.signer = signer
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.now = now
        self.logger = logger
        self.writeBack = writeBack
        self.jitter = jitter
        policy = OutboxRetryPolicy(
            baseSeconds: configuration.retryBaseSeconds, maxDelaySeconds: configuration.maxRetryDelaySeconds,
            maxAttempts: configuration.deadLetterAfterAttempts, maxAgeSeconds: configuration.deadLetterAfterSeconds)
        smtp = configuration.smtp.map { SMTPClient(host: $0.host, port: $0.port, from: $0.from) }
    }

    static let crmKind = "crm-sync"
    static let writeBackKind = "crm-writeback"

    /// True when any endpoint is configured; otherwise alerts are only stored.
    var hasChannels: Bool {
        !configuration.alertChannels.isEmpty || configuration.defaultChannel != nil || configuration.crmSyncURL != nil || writeBack != nil
    }

    func run(interval: Double) async {
        guard hasChannels else {
            logger.info("no alert channels configured: alerts are stored, not delivered")
            return
        }
        while !Task.isCancelled {
            _ = await deliverDue()
            try? await Task.sleep(for: .milliseconds((interval * 1000).clampedInt(in: 1...86_400_000)))
        }
    }

    /// The CRM messages for an event's or a scheduler step's changes, as writes for that unit of
    /// work (``HandoffEngine/apply(_:receivedAt:extra:)``, ``HandoffEngine/tick(at:owner:leaseSeconds:extra:)``):
    /// they are stored with them or not at all, so a crash cannot lose them. A `crm-sync` row when
    /// a CRM sync URL is configured, a `crm-writeback` row when the write-back is; none when
    /// nothing the CRM keeps (owner, stage, score, SLA state) changed.
    nonisolated func crmOperations(source: CRMSyncPayload.Source, id: String, leadID: String, effects: [EngineEffect]) -> [WriteOperation] {
        guard configuration.crmSyncURL != nil || writeBack != nil else { return [] }
        guard let payload = CRMSyncPayload(source: source, id: id, leadID: leadID, effects: effects) else { return [] }
        guard let data = try? JSONEncoder.sorted.encode(payload), let json = try? JSONText(validating: String(decoding: data, as: UTF8.self)) else {
            logger.error("CRM sync for \(id) not stored: its payload is not JSON")
            return []
        }
        var operations: [WriteOperation] = []
        if configuration.crmSyncURL != nil {
            operations.append(
                .raiseAlert(AlertRecord(id: "\(id)/crm-sync", kind: Self.crmKind, leadID: leadID, target: "crm", payload: json, createdAt: now())))
        }
        if writeBack != nil {
            operations.append(
                .raiseAlert(
                    AlertRecord(id: "\(id)/crm-writeback", kind: Self.writeBackKind, leadID: leadID, target: "crm", payload: json, createdAt: now())))
        }
        return operations
    }

    /// ``crmOperations(source:id:leadID:effects:)`` for an inbound event.
    nonisolated func crmOperations(event: InboundEvent, effects: [EngineEffect]) -> [WriteOperation] {
        crmOperations(source: .event(type: event.kind.rawValue), id: event.eventID, leadID: event.leadID, effects: effects)
    }

    /// One pass over the rows due now; returns how many were delivered.
    @discardableResult
    package func deliverDue(limit: Int = 100) async -> Int {
        let instant = now()
        let due: [AlertRecord]
        do { due = try await store.alertsPendingDelivery(at: instant, limit: limit) } catch {
            logger.error("alert delivery: cannot read pending alerts: \(error.description)")
            return 0
        }
        var delivered = 0
        let roster = await self.roster()
        for alert in due {
            let choice: AlertChannelChoice? =
                [Self.crmKind, Self.writeBackKind].contains(alert.kind)
                ? nil
                : AlertChannelChoice.decide(
                    alert, channels: configuration.alertChannels, defaultChannel: configuration.defaultChannel, rep: roster?.rep(alert.target),
                    at: instant)
            var outcome: AlertDeliveryOutcome
            var at = now()
            var fallback: String?
            switch choice {
            case .hold(let until, let reason)?:
                outcome = .retry(error: reason, retryAt: until)
            case .none(let reason)?:
                outcome = .deadLetter(error: reason + " (fix and replay)")
            case .send(let key, let channel, let next)?:
                fallback = next
                outcome = await attempt(alert, channel: channel, key: key)
                at = now()
            case nil:
                outcome = await attempt(alert, channel: nil, key: nil)
                at = now()
            }
            var writes: [WriteOperation] = []
            if case .deadLetter(let error) = outcome, let fallback {
                // The next of the rep's channels takes it, as a row of its own (so its attempts and
                // its own dead letter are kept apart), and this row says where it went.
                let id = AlertChannelChoice.fallbackID(alert.id, to: fallback)
                writes.append(
                    .raiseAlert(
                        AlertRecord(id: id, kind: alert.kind, leadID: alert.leadID, target: alert.target, payload: alert.payload, createdAt: at)))
                outcome = .deadLetter(error: error + "; fell back to channel '\(fallback)' as outbox row \(id)")
            }
            writes.append(.recordAlertDelivery(alertID: alert.id, at: at, outcome: outcome))
            do {
                _ = try await store.commit(UnitOfWork(writes))
            } catch {
                logger.error("alert \(alert.id): delivery not recorded: \(error.description)")
            }
            var endpoint = endpoint(of: alert)
            if case .send(let key?, _, _)? = choice { endpoint = key }
            await metrics.attempt(endpoint: endpoint, kind: alert.kind, outcome: outcome, at: at)
            switch outcome {
            case .delivered:
                delivered += 1
            case let .retry(error, retryAt):
                logger.warning(
                    "outbox \(alert.id) (\(alert.kind)) to \(endpoint): attempt \(alert.attempts + 1) failed (\(error)); retry at \(EventTime.format(retryAt))"
                )
            case .deadLetter(let error):
                logger.error("outbox \(alert.id) (\(alert.kind)) to \(endpoint): dead letter after attempt \(alert.attempts + 1): \(error)")
            }
        }
        return delivered
    }

    /// The name of the endpoint a row goes to, for health and logs (never a URL or a secret):
    /// `crm_sync`, `crm_writeback`, the `alert_channels` key, or `default` (also for a target
    /// without any channel, whose attempts fail until one is configured).
    nonisolated func endpoint(of alert: AlertRecord) -> String {
        AlertDeliverer.endpoint(kind: alert.kind, target: alert.target, channels: configuration.alertChannels)
    }

    static func endpoint(kind: String, target: String, channels: [String: AlertChannel]) -> String {
        switch kind {
        case crmKind: "crm_sync"
        case writeBackKind: "crm_writeback"
        default: channels[target] != nil ? target : "default"
        }
    }

    /// One attempt through `channel` (nil for the CRM kinds), and what it means for the row.
    func attempt(_ alert: AlertRecord, channel: AlertChannel?, key: String?) async -> AlertDeliveryOutcome {
        let attempt: OutboxRetryPolicy.Attempt
        do { attempt = try await send(alert, channel: channel, key: key) } catch DeliveryError.noRecordID(let lead, let problem) {
            attempt = .refused(reason: DeliveryError.noRecordID(leadID: lead, problem: problem).description)
        } catch { attempt = .failed(reason: "\(error)") }
        return policy.outcome(of: attempt, attempts: alert.attempts + 1, createdAt: alert.createdAt, at: now(), jitter: jitter())
    }

    /// One attempt; throws when no answer came or the row cannot be sent as configured.
    /// - Parameter key: the `alert_channels` key of `chosen` (nil for `default_channel`), for its access token.
    func send(_ alert: AlertRecord, channel chosen: AlertChannel?, key: String? = nil) async throws -> OutboxRetryPolicy.Attempt {
        switch alert.kind {
        case Self.crmKind:
            guard let url = configuration.crmSyncURL else { throw DeliveryError.noChannel(target: "crm") }
            return .answered(try await webhook(url: url, alert: alert, data: JSONResponse.embed(alert.payload.text)).send())
        case Self.writeBackKind:
            guard let writeBack else { throw DeliveryError.misconfigured(target: "crm", key: "crm_writeback") }
            guard let leadID = alert.leadID, let timeline = try await store.leadTimeline(leadID: leadID) else {
                throw DeliveryError.noRecordID(leadID: alert.leadID ?? "-", problem: "the lead is not stored")
            }
            return .answered(try await writeBack.request(for: timeline).send())
        default:
            break
        }
        guard let channel = chosen ?? configuration.alertChannels[alert.target] ?? configuration.defaultChannel else {
            throw DeliveryError.noChannel(target: alert.target)
        }
        let message = Self.message(alert)
        switch channel.kind {
        case .webhook:
            guard let url = channel.url else { throw DeliveryError.misconfigured(target: alert.target, key: "url") }
            let body = WebhookAlert(
                id: alert.id, kind: alert.kind, leadID: alert.leadID, target: alert.target,
                createdAt: EventTime.format(alert.createdAt), text: message, payload: JSONResponse.embed(alert.payload.text))
            let data = JSONResponse.embed(String(decoding: try JSONEncoder.sorted.encode(body), as: UTF8.self))
            return .answered(try await webhook(url: url, alert: alert, data: data).send())
        case .slack:
            guard let url = channel.url else { throw DeliveryError.misconfigured(target: alert.target, key: "url") }
            return .answered(
                try await signed(url: url, alert: alert, body: try JSONEncoder.sorted.encode(["text": message]), contentType: "application/json")
                    .send())
        case .email:
            guard let to = channel.to else { throw DeliveryError.misconfigured(target: alert.target, key: "to") }
            guard let smtp else { throw DeliveryError.misconfigured(target: alert.target, key: "smtp") }
            try await smtp.send(to: to, subject: "[Baton] \(alert.kind): lead \(alert.leadID ?? "-")", body: message)
            return .accepted
        case .ntfy:
            guard let url = channel.url, let topic = channel.topic else { throw DeliveryError.misconfigured(target: alert.target, key: "url/topic") }
            guard let push else { throw DeliveryError.misconfigured(target: alert.target, key: "public_base_url") }
            let rep = try await actionRep(channel: channel, alert: alert)
            let body = try JSONEncoder.sorted.encode(NtfyMessage.make(alert: alert, topic: topic, rep: rep, push: push, now: now()))
            var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
            if let token = push.ntfyTokens[chosen == nil ? endpoint(of: alert) : key ?? "default"] {
                headers.append(("Authorization", "Bearer \(token)"))
            }
            // Publish as JSON goes to the server's root URL, never to the topic's.
            let root = url.hasSuffix("/") ? url : url + "/"
            return .answered(try await OutboundRequest(method: "POST", url: root, headers: headers, body: body).send())
        case .webpush:
            guard let push, let vapid = push.vapid else { throw DeliveryError.misconfigured(target: alert.target, key: "public_base_url") }
            return try await webPush(alert, rep: channel.rep ?? alert.target, push: push, vapid: vapid)
        }
    }

    /// One push per subscription of `rep` (RFC 8030 §5). A subscription the push service says is
    /// gone (404 or 410, §7.3) is removed and named in the log; when none is left the row is
    /// refused, so the rep's next channel takes the alert. Any other failure (429, 5xx, no
    /// answer) is the row's answer, and the whole row is retried: a browser that already got it
    /// gets it again under the same `Topic` and notification tag, which replace the first.
    func webPush(_ alert: AlertRecord, rep: String, push: PushActions, vapid: VAPIDToken) async throws -> OutboxRetryPolicy.Attempt {
        let subscriptions = try await store.pushSubscriptions(rep: rep)
        guard !subscriptions.isEmpty else {
            return .refused(reason: "rep '\(rep)' has no Web Push subscription (they subscribe from the dashboard)")
        }
        let at = now()
        let plaintext = try JSONEncoder.sorted.encode(WebPushMessage.make(alert: alert, rep: rep, push: push, now: at))
        let ttl = push.lifetimeSeconds.clampedInt(.down, in: 0...2_419_200)
        var delivered = 0
        var gone: [String] = []
        var failure: OutboxRetryPolicy.Attempt?
        for subscription in subscriptions {
            let answer: OutboundRequest.Answer
            do {
                answer = try await WebPushMessage.request(plaintext, to: subscription, alert: alert, vapid: vapid, ttl: ttl, now: at).send()
            } catch {
                failure = failure ?? .failed(reason: "push to \(Self.origin(subscription.endpoint)): \(error)")
                continue
            }
            switch answer.status {
            case 200..<300:
                delivered += 1
            case 404, 410:
                _ = try await store.removePushSubscription(endpoint: subscription.endpoint, rep: nil)
                gone.append(Self.origin(subscription.endpoint))
                logger.notice(
                    "outbox \(alert.id): the push service at \(Self.origin(subscription.endpoint)) answered \(answer.status): subscription of rep '\(rep)' removed"
                )
            default:
                failure = failure ?? .answered(answer)
            }
        }
        if let failure { return failure }
        if delivered == 0 {
            return .refused(
                reason: "every Web Push subscription of rep '\(rep)' is gone (\(gone.joined(separator: ", ")) answered 404/410) and was removed")
        }
        return .accepted
    }

    /// The scheme and host of a push endpoint, for logs (the path is the subscription's secret).
    static func origin(_ endpoint: String) -> String { VAPIDToken.audience(of: endpoint) ?? "?" }

    /// The rep a push's buttons act for: the channel's `rep`, else the alert's target when it is
    /// a rep on the roster (a queue's alert without a `rep` gets no buttons).
    func actionRep(channel: AlertChannel, alert: AlertRecord) async throws -> String? {
        if let rep = channel.rep { return rep }
        return try await store.reps().contains { $0.id == alert.target } ? alert.target : nil
    }

    /// A CloudEvents 1.0 structured-mode POST of `data` for `alert`, signed when a secret is configured.
    func webhook(url: String, alert: AlertRecord, data: JSONValue) throws -> OutboundRequest {
        let event = OutboundCloudEvent(alert: alert, source: configuration.eventSource, data: data)
        return signed(url: url, alert: alert, body: try JSONEncoder.sorted.encode(event), contentType: OutboundCloudEvent.contentType)
    }

    /// A POST of `body` with the Standard Webhooks headers when a secret is configured.
    func signed(url: String, alert: AlertRecord, body: Data, contentType: String) -> OutboundRequest {
        var headers: [(name: String, value: String)] = [("Content-Type", contentType)]
        if let signer {
            headers += signer.headers(id: WebhookSigner.messageID(alertID: alert.id), at: now(), body: body)
        }
        return OutboundRequest(method: "POST", url: url, headers: headers, body: body)
    }

    /// The alert in plain words: kind, lead id, target and the engine's summary (no lead fields).
    static func message(_ alert: AlertRecord) -> String {
        let payload = JSONResponse.embed(alert.payload.text)
        var summary: String?
        if case .string(let text)? = payload["summary"] { summary = text } else if case .string(let text)? = payload["message"] { summary = text }
        return "Baton \(alert.kind) for \(alert.target)" + (alert.leadID.map { ", lead \($0)" } ?? "") + (summary.map { ": \($0)" } ?? "")
    }
}

/// The body of an alert POSTed to a webhook channel.
struct WebhookAlert: Encodable, Sendable {
    let id: String
    let kind: String
    @Nullable var leadID: String?
    let target: String
    let createdAt: String
    let text: String
    let payload: JSONValue

    enum CodingKeys: String, CodingKey {
        case id, kind, target, text, payload
        case leadID = "lead_id"
        case createdAt = "created_at"
    }
}
