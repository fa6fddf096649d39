import Crypto
import Foundation

/// What push channels need besides their address: the signer of their buttons' action tokens,
/// how long a button works, the address phones reach this service at, and the ntfy access
/// tokens (read once at start from `token_file` or `token_env`; never logged, never stored).
package struct PushActions: Sendable {
    package let signer: ActionTokenSigner
    /// Seconds from sending to expiry (``ServiceConfiguration/actionTokenLifetimeSeconds``).
    package let lifetimeSeconds: Double
    /// ``ServiceConfiguration/publicBaseURL`` without a trailing `/`.
    package let baseURL: String
    /// ntfy access token by endpoint name (the `alert_channels` key, or `default`).
    let ntfyTokens: [String: String]
    /// The VAPID signer of Web Push requests, its key kept in the store (``WebPushKey``); nil
    /// until the service has read it, and without a `webpush` channel.
    package var vapid: VAPIDToken?

    package init(
        signer: ActionTokenSigner, lifetimeSeconds: Double, baseURL: String, ntfyTokens: [String: String] = [:], vapid: VAPIDToken? = nil
    ) {
        self.vapid = vapid
        self.signer = signer
        self.lifetimeSeconds = lifetimeSeconds
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.ntfyTokens = ntfyTokens
    }

    /// The signed button of `action` on outbox row `alertID`, for `repID` on `leadID`, sent at `now`.
    package func token(_ action: ActionToken.Action, alertID: String, repID: String, leadID: String, now: Date) -> String {
        let expiry = (now.timeIntervalSince1970 + lifetimeSeconds).clampedInt(.up, in: 0...253_402_300_799)
        return signer.sign(
            ActionToken(id: ActionToken.id(alertID: alertID, action: action), action: action, repID: repID, leadID: leadID, expiresAt: Int64(expiry)))
    }

    /// `{base}/actions/{token}`.
    package func url(_ token: String) -> String { "\(baseURL)/actions/\(token)" }

    /// The push set-up of `configuration`, or nil when no channel pushes (then `/actions/…` answers 404).
    /// - Throws: ``ServiceError/configuration(file:key:problem:)`` for an unreadable key or token.
    static func load(_ configuration: ServiceConfiguration, environment: [String: String]) throws(ServiceError) -> PushActions? {
        var channels = configuration.alertChannels.filter { $0.value.kind == .ntfy || $0.value.kind == .webpush }
        if let fallback = configuration.defaultChannel, fallback.kind == .ntfy || fallback.kind == .webpush { channels["default"] = fallback }
        guard !channels.isEmpty, let base = configuration.publicBaseURL, let keyFile = configuration.resolvedActionKeyFile else { return nil }
        var tokens: [String: String] = [:]
        for (name, channel) in channels where channel.kind == .ntfy {
            let key = name == "default" ? "default_channel.token_file" : "alert_channels.\(name).token_file"
            if let file = channel.tokenFile {
                let text = try SecretFilePermissions.readPrivate(file, key: key)
                tokens[name] = try checkedToken(text, key: key, file: file)
            } else if let variable = channel.tokenEnv {
                let envKey = name == "default" ? "default_channel.token_env" : "alert_channels.\(name).token_env"
                guard let text = environment[variable] else {
                    throw .configuration(file: nil, key: envKey, problem: "names \(variable), which is not set in the environment")
                }
                tokens[name] = try checkedToken(text, key: envKey, file: nil)
            }
        }
        return PushActions(
            signer: ActionTokenSigner(key: try ActionKeyFile.loadOrCreate(keyFile)), lifetimeSeconds: configuration.actionTokenLifetimeSeconds,
            baseURL: base, ntfyTokens: tokens)
    }

    /// A token goes into an `Authorization` header: one line of printable ASCII.
    static func checkedToken(_ text: String, key: String, file: String?) throws(ServiceError) -> String {
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, token.count <= 256, token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw .configuration(file: file, key: key, problem: "must hold one ntfy access token (tk_…): printable text without spaces")
        }
        return token
    }
}
