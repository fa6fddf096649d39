import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import Logging
import ScoringModelFormat

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Delivers stored alerts (and CRM sync messages) to their channels, retrying with
/// exponential backoff, and records every attempt on the alert row.
///
/// Runs in its own loop: ingest only stores alerts, so a dead channel never slows an event's
/// acknowledgement. Channel by target (rep id or queue name) from `alert_channels`, else
/// `default_channel`; alerts of kind `crm-sync` go to `crm_sync_url`. Retry delay after the
/// n-th failed attempt: `min(retry_base_seconds · 2^(n−1), max_retry_delay_seconds)`.
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

    init(
        store: any HandoffStore, configuration: ServiceConfiguration, metrics: ServiceMetrics, now: @escaping @Sendable () -> Date, logger: Logger,
        signer: WebhookSigner? = nil
    ) {
        self.signer = signer
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.now = now
        self.logger = logger
        smtp = configuration.smtp.map { SMTPClient(host: $0.host, port: $0.port, from: $0.from) }
    }

    static let crmKind = "crm-sync"

    /// True when any channel is configured; otherwise alerts are only stored.
    var hasChannels: Bool { !configuration.alertChannels.isEmpty || configuration.defaultChannel != nil || configuration.crmSyncURL != nil }

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

    /// The CRM sync message for an event's or a scheduler step's changes, as a write for that
    /// unit of work (``HandoffEngine/apply(_:receivedAt:extra:)``, ``HandoffEngine/tick(at:owner:leaseSeconds:extra:)``):
    /// it is stored with them or not at all, so a crash cannot lose it. Nil when no CRM sync URL is
    /// configured or nothing the CRM keeps (owner, stage, score, SLA state) changed.
    nonisolated func crmSyncOperation(source: CRMSyncPayload.Source, id: String, leadID: String, effects: [EngineEffect]) -> WriteOperation? {
        guard configuration.crmSyncURL != nil else { return nil }
        guard let payload = CRMSyncPayload(source: source, id: id, leadID: leadID, effects: effects) else { return nil }
        guard let data = try? JSONEncoder.sorted.encode(payload), let json = try? JSONText(validating: String(decoding: data, as: UTF8.self)) else {
            logger.error("CRM sync for \(id) not stored: its payload is not JSON")
            return nil
        }
        return .raiseAlert(
            AlertRecord(
                id: "\(id)/crm-sync", kind: Self.crmKind, leadID: leadID,
                target: "crm", payload: json, createdAt: now()))
    }

    /// ``crmSyncOperation(source:id:leadID:effects:)`` for an inbound event.
    nonisolated func crmSyncOperation(event: InboundEvent, effects: [EngineEffect]) -> WriteOperation? {
        crmSyncOperation(source: .event(type: event.kind.rawValue), id: event.eventID, leadID: event.leadID, effects: effects)
    }

    /// One pass over the alerts due now; returns how many were delivered.
    @discardableResult
    package func deliverDue(limit: Int = 100) async -> Int {
        let instant = now()
        let due: [AlertRecord]
        do { due = try await store.alertsPendingDelivery(at: instant, limit: limit) } catch {
            logger.error("alert delivery: cannot read pending alerts: \(error.description)")
            return 0
        }
        var delivered = 0
        for alert in due {
            var failure: String?
            do { try await send(alert) } catch { failure = "\(error)" }
            let at = now()
            let next = failure == nil ? nil : at.addingTimeInterval(backoff(afterAttempts: alert.attempts + 1))
            do {
                try await store.apply(.recordAlertDelivery(alertID: alert.id, at: at, succeeded: failure == nil, error: failure, nextAttemptAt: next))
            } catch {
                logger.error("alert \(alert.id): delivery not recorded: \(error.description)")
            }
            if failure == nil {
                delivered += 1
                await metrics.delivered(kind: alert.kind)
            } else {
                await metrics.failed(kind: alert.kind)
                logger.warning(
                    "alert \(alert.id) (\(alert.kind)) to \(alert.target): attempt \(alert.attempts + 1) failed; retry at \(EventTime.format(next ?? at))"
                )
            }
        }
        return delivered
    }

    /// Seconds to wait after `attempts` failed attempts.
    func backoff(afterAttempts attempts: Int) -> Double {
        min(configuration.retryBaseSeconds * pow(2, Double(max(attempts - 1, 0))), configuration.maxRetryDelaySeconds)
    }

    func send(_ alert: AlertRecord) async throws {
        if alert.kind == Self.crmKind {
            guard let url = configuration.crmSyncURL else { throw DeliveryError.noChannel(target: "crm") }
            try await Self.post(url: url, body: Data(alert.payload.text.utf8), signing: signing(alert))
            return
        }
        guard let channel = configuration.alertChannels[alert.target] ?? configuration.defaultChannel else {
            throw DeliveryError.noChannel(target: alert.target)
        }
        let message = Self.message(alert)
        switch channel.kind {
        case .webhook:
            guard let url = channel.url else { throw DeliveryError.misconfigured(target: alert.target, key: "url") }
            let body = WebhookAlert(
                id: alert.id, kind: alert.kind, leadID: alert.leadID, target: alert.target,
                createdAt: EventTime.format(alert.createdAt), text: message, payload: JSONResponse.embed(alert.payload.text))
            try await Self.post(url: url, body: try JSONEncoder.sorted.encode(body), signing: signing(alert))
        case .slack:
            guard let url = channel.url else { throw DeliveryError.misconfigured(target: alert.target, key: "url") }
            try await Self.post(url: url, body: try JSONEncoder.sorted.encode(["text": message]), signing: signing(alert))
        case .email:
            guard let to = channel.to else { throw DeliveryError.misconfigured(target: alert.target, key: "to") }
            guard let smtp else { throw DeliveryError.misconfigured(target: alert.target, key: "smtp") }
            try await smtp.send(to: to, subject: "[Baton] \(alert.kind): lead \(alert.leadID ?? "-")", body: message)
        }
    }

    /// The alert in plain words: kind, lead id, target and the engine's summary (no lead fields).
    static func message(_ alert: AlertRecord) -> String {
        let payload = JSONResponse.embed(alert.payload.text)
        var summary: String?
        if case .string(let text)? = payload["summary"] { summary = text } else if case .string(let text)? = payload["message"] { summary = text }
        return "Baton \(alert.kind) for \(alert.target)" + (alert.leadID.map { ", lead \($0)" } ?? "") + (summary.map { ": \($0)" } ?? "")
    }

    /// POSTs JSON; any status outside 2xx is a failure. 10-second timeout.
    /// POSTs `body` to `url`: http(s) only, 10 seconds per attempt, redirects followed only
    /// within the same origin (scheme, host, port): a receiver cannot bounce an alert, with its
    /// lead id, to another host, nor a configured URL reach `file:` or another scheme.
    /// The signer and the stable message id of `alert`'s deliveries; nil when unsigned.
    func signing(_ alert: AlertRecord) -> (signer: WebhookSigner, id: String, at: Date)? {
        signer.map { ($0, WebhookSigner.messageID(alertID: alert.id), now()) }
    }

    static func post(url: String, body: Data, signing: (signer: WebhookSigner, id: String, at: Date)? = nil) async throws {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme),
            target.host?.isEmpty == false
        else { throw DeliveryError.misconfigured(target: url, key: "url (an http:// or https:// URL)") }
        var request = URLRequest(url: target, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(BatonVersion.userAgent, forHTTPHeaderField: "User-Agent")
        if let signing {
            for header in signing.signer.headers(id: signing.id, at: signing.at, body: body) {
                request.setValue(header.value, forHTTPHeaderField: header.name)
            }
        }
        request.httpBody = body
        // A completion-handler task, not `data(for:)`: swift-corelibs-foundation traps ("Trying to
        // access a behaviour for a task that in not in the registry") when a Swift task cancels an
        // async data task of a session with a delegate. The 10 s timeout still bounds the wait.
        let status: Int = try await withCheckedThrowingContinuation { continuation in
            deliverySession.dataTask(with: request) { _, response, error in
                if let error {
                    continuation.resume(throwing: error)
                } else {
                    continuation.resume(returning: (response as? HTTPURLResponse)?.statusCode ?? 0)
                }
            }.resume()
        }
        guard (200..<300).contains(status) else { throw DeliveryError.status(status) }
    }
}

/// The session every outbound delivery uses (see ``AlertDeliverer/post(url:body:signing:)``).
let deliverySession: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = 10
    configuration.timeoutIntervalForResource = 30
    return URLSession(configuration: configuration, delegate: SameOriginRedirects(), delegateQueue: nil)
}()

/// Follows a redirect only to the same scheme, host and port; any other answers as the 3xx it is.
final class SameOriginRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(Self.sameOrigin(task.originalRequest?.url, request.url) ? request : nil)
    }

    static func sameOrigin(_ a: URL?, _ b: URL?) -> Bool {
        guard let a, let b, let scheme = a.scheme?.lowercased(), scheme == b.scheme?.lowercased(),
            let host = a.host?.lowercased(), host == b.host?.lowercased()
        else { return false }
        let defaultPort = scheme == "https" ? 443 : 80
        return (a.port ?? defaultPort) == (b.port ?? defaultPort)
    }
}

/// Why one delivery attempt failed (recorded on the alert row as `last_error`).
enum DeliveryError: Error, CustomStringConvertible {
    case noChannel(target: String)
    case misconfigured(target: String, key: String)
    case status(Int)

    var description: String {
        switch self {
        case .noChannel(let target): "no alert channel for '\(target)': add it under alert_channels or set default_channel"
        case let .misconfigured(target, key): "channel for '\(target)' lacks `\(key)`"
        case .status(let code): "the receiver answered HTTP \(code)"
        }
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
