import BatonSupport
import Foundation
import HandoffIntegrations
import HandoffPersistence
import HandoffStores

/// Everything `baton serve` needs to run, from defaults, a JSON file, the environment and flags.
///
/// Precedence, lowest to highest: built-in defaults < configuration file (`--config FILE`, or
/// `BATON_CONFIG`) < environment variables (`BATON_*`) < command-line flags. A setting given at a
/// higher level replaces the lower one whole (lists and maps are not merged).
///
/// The file is JSON with the keys of this type in snake case:
/// ```json
/// {"db": "baton.sqlite", "host": "127.0.0.1", "port": 8080, "playbook": "playbook.yaml",
///  "model": "model.json", "known_fields": ["region"], "max_body_bytes": 1048576, "max_batch_events": 1000,
///  "group_commit_max_events": 256, "group_commit_window_ms": 2,
///  "tick_interval_seconds": 5, "delivery_interval_seconds": 2,
///  "alert_channels": {"ana": {"kind": "slack", "url": "https://hooks.slack.com/…"},
///                     "sales-triage": {"kind": "email", "to": "triage@example.com"}},
///  "default_channel": {"kind": "webhook", "url": "http://127.0.0.1:9000/alerts"},
///  "smtp": {"host": "127.0.0.1", "port": 25, "from": "baton@example.com"},
///  "crm_sync_url": "http://crm.internal/baton-sync",
///  "tls_certificate": "/etc/baton/cert.pem", "tls_key": "/etc/baton/key.pem",
///  "webhook_secret_file": "/etc/baton/webhook-secret",
///  "dead_letter_after_attempts": 25, "dead_letter_after_seconds": 259200,
///  "event_source": "https://baton.example.com", "crm_writeback": "/etc/baton/crm-writeback.yaml",
///  "field_mapping": "/etc/baton/field-mapping.yaml", "segment_secret_file": "/etc/baton/segment-secret",
///  "segment_events": {"Webinar Attended": "webinar_attended", "Demo Requested": "demo_request"}}
/// ```
/// Push alerts (``PushActions``): `"alert_channels": {"ana": {"kind": "ntfy", "url": "https://ntfy.sh",
/// "topic": "baton-ana-7Kq2x", "token_file": "/etc/baton/ntfy-ana"}}`, with `public_base_url`,
/// `action_key_file` and `action_token_lifetime_seconds`.
/// Integrations: `"public_base_url": "https://baton.example.com", "field_mapping": "mapping.yaml",
/// "hubspot_client_secret_file": "/etc/baton/hubspot-secret", "hubspot_portal_id": 62515,
/// "marketo_secret_file": "/etc/baton/marketo-secret", "marketo_time_zone": "America/Chicago"`.
///
/// Environment: `BATON_DB`, `BATON_HOST`, `BATON_PORT`, `BATON_PLAYBOOK`, `BATON_MODEL`,
/// `BATON_MAX_BODY_BYTES`, `BATON_MAX_BATCH_EVENTS`, `BATON_GROUP_COMMIT_MAX_EVENTS`, `BATON_GROUP_COMMIT_WINDOW_MS`, `BATON_TICK_INTERVAL_SECONDS`,
/// `BATON_DELIVERY_INTERVAL_SECONDS`, `BATON_CRM_SYNC_URL`, `BATON_TOKENS_FILE`,
/// `BATON_TLS_CERTIFICATE`, `BATON_TLS_KEY`, `BATON_WEBHOOK_SECRET_FILE`, `BATON_DEAD_LETTER_AFTER_ATTEMPTS`,
/// `BATON_DEAD_LETTER_AFTER_SECONDS`, `BATON_EVENT_SOURCE`, `BATON_CRM_WRITEBACK`, `BATON_PUBLIC_BASE_URL`,
/// `BATON_FIELD_MAPPING`, `BATON_SEGMENT_SECRET_FILE`, `BATON_HUBSPOT_CLIENT_SECRET_FILE`,
/// `BATON_SALESFORCE_ORGANIZATION_ID`, `BATON_MARKETO_SECRET_FILE`, `BATON_MARKETO_TIME_ZONE`,
/// `BATON_ACTION_KEY_FILE`, `BATON_ACTION_TOKEN_LIFETIME_SECONDS`; the HubSpot client secret itself
/// may come from `BATON_HUBSPOT_CLIENT_SECRET`, Marketo's shared secret from `BATON_MARKETO_SECRET`,
/// and the CRM write-back's token from
/// `BATON_CRM_TOKEN` (read at start, never part of this value).
package struct ServiceConfiguration: Sendable, Equatable, Codable {
    /// SQLite file of the hand-off store (created when missing).
    package var db: String?
    /// Address to bind; loopback by default, so nothing is exposed until asked.
    package var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free one (printed on start).
    package var port: Int = 8080
    /// The hand-off playbook (qualification, routing, sla, dispositions, reps).
    package var playbook: String?
    /// A weight file registered and promoted on first start when no model is in production.
    package var model: String?
    /// Lead fields the playbook may use besides the model's columns and the documented ones (e.g. `region`).
    package var knownFields: [String] = []
    /// A token file from before tokens lived in the store, imported once on first start (then
    /// renamed to `….imported`); defaults to `<db>.tokens.json` beside an SQLite database.
    package var tokensFile: String?
    /// Largest request body accepted, in bytes (larger gets 413).
    package var maxBodyBytes: Int = 1 << 20
    /// Largest weight-file upload, in bytes.
    package var maxModelBytes: Int = 8 << 20
    /// Most events in one batch (more gets 413).
    package var maxBatchEvents: Int = 1000
    /// Group commit: the most ingested events committed in one transaction (1: each alone).
    package var groupCommitMaxEvents: Int = 256
    /// Group commit: the longest the first event of a group waits for concurrent ones, in
    /// milliseconds (0: never waits; a group then holds what arrived while the last one committed).
    package var groupCommitWindowMilliseconds: Double = 2
    /// How often the SLA scheduler looks for due timers, in seconds.
    package var tickIntervalSeconds: Double = 5
    /// How often undelivered alerts are retried, in seconds.
    package var deliveryIntervalSeconds: Double = 2
    /// First retry delay of a failed delivery, in seconds; doubled per attempt up to `maxRetryDelaySeconds`.
    package var retryBaseSeconds: Double = 5
    package var maxRetryDelaySeconds: Double = 3600
    /// Alert channel per rep id or queue name.
    package var alertChannels: [String: AlertChannel] = [:]
    /// Channel for targets without their own; nil means alerts for them are only stored.
    package var defaultChannel: AlertChannel?
    /// Outgoing mail server for `email` channels.
    package var smtp: SMTPSettings?
    /// CRM sync webhook: every hand-off, reassignment and closing is POSTed here as JSON.
    package var crmSyncURL: String?
    /// PEM certificate chain (the server's certificate first) for HTTPS; with ``tlsKey``, the
    /// service speaks only TLS (1.2 or 1.3) on its port. Without both, plain HTTP, for loopback
    /// or a TLS-terminating reverse proxy in front.
    package var tlsCertificate: String?
    /// PEM private key of ``tlsCertificate`` (unencrypted; keep the file mode 0600).
    package var tlsKey: String?
    /// A file holding the Standard Webhooks secret (`whsec_…`, mode 0600): every webhook Baton
    /// sends (CRM sync, webhook and Slack-style channels) is then signed (``WebhookSigner``).
    package var webhookSecretFile: String?
    /// An outbox row is dead letter (kept, listed, never retried until replayed) after this many
    /// failed attempts…
    package var deadLetterAfterAttempts: Int = 25
    /// …or when its next attempt would fall more than this many seconds after it was raised (72 h).
    package var deadLetterAfterSeconds: Double = 259_200
    /// The CloudEvents `source` of everything Baton sends (a URI reference naming this deployment).
    package var eventSource: String = "urn:baton:serve"
    /// A YAML file describing the CRM write-back (``CRMWriteBack``); none writes nothing back.
    package var crmWriteback: String?
    /// The field mapping YAML (vendor property → lead field, value recodes) the integration
    /// routes read (`FieldMapping`); without it no vendor property becomes a field.
    package var fieldMapping: String?
    /// A file holding the shared secret of Segment's Webhooks destination (mode 0600): enables
    /// `POST /integrations/segment`, which checks each request's `X-Signature` with it.
    package var segmentSecretFile: String?
    /// Segment `track` event names → Baton engagement types (`"Webinar Attended": "webinar_attended"`);
    /// other track events change nothing.
    package var segmentEvents: [String: String] = [:]
    /// The address vendors call this service at (`https://baton.example.com`), without a path:
    /// signatures over the full URI (HubSpot) are checked against it plus the request's path and
    /// query. Without it: `http(s)://` + the request's Host header (right without a proxy in front).
    package var publicBaseURL: String?
    /// A file (mode 0600) holding the HubSpot app's client secret; `POST /integrations/hubspot`
    /// answers 404 without it (or `BATON_HUBSPOT_CLIENT_SECRET`).
    package var hubspotClientSecretFile: String?
    /// The HubSpot account (`portalId`) whose deliveries are accepted; any when unset.
    package var hubspotPortalID: Int64?
    /// The Salesforce organisation (15 or 18 characters) whose outbound messages
    /// `POST /integrations/salesforce` accepts; the route answers 404 without it.
    package var salesforceOrganizationID: String?
    /// The currency of opportunity amounts that come without `CurrencyIsoCode` (a single-currency org).
    package var salesforceCurrency: String?
    /// A file (mode 0600) holding the shared secret Marketo's webhooks send in
    /// `X-Baton-Marketo-Secret`; `POST /integrations/marketo` answers 404 without it (or `BATON_MARKETO_SECRET`).
    package var marketoSecretFile: String?
    /// The Marketo subscription's time zone (IANA name, Marketo's Admin → Location), in which
    /// `{{system.dateTime}}` is written; required with the Marketo secret.
    package var marketoTimeZone: String?
    /// The key (32 random bytes, base64, mode 0600) that signs the action tokens of push alerts'
    /// buttons (``ActionTokenSigner``); created on first start when missing. Default: `<db>.action-key`
    /// beside an SQLite store; required with PostgreSQL (every instance must read the same key).
    package var actionKeyFile: String?
    /// How long a push alert's buttons work, in seconds (default 24 h; 60 s … 30 days).
    package var actionTokenLifetimeSeconds: Double = 86_400

    package init() {}

    /// True when the service is served over TLS by itself.
    package var servesTLS: Bool { tlsCertificate != nil && tlsKey != nil }

    /// True when ``host`` names only this machine (a loopback address or `localhost`), so plain
    /// HTTP never crosses a network.
    package var bindsLoopbackOnly: Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// The warning `baton serve` prints when bearer tokens and lead data would cross a network in
    /// clear text; nil on loopback or with TLS.
    package var plainHTTPExposureWarning: String? {
        guard !servesTLS, !bindsLoopbackOnly else { return nil }
        return """
            warning: baton serve listens on \(host) over plain HTTP: bearer tokens, dashboard cookies and lead data cross \
            the network unencrypted. Pass --tls-certificate and --tls-key (PEM), or bind 127.0.0.1 behind a reverse \
            proxy that terminates TLS (README, "Serving over HTTPS").
            """
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case db, host, port, playbook, model, knownFields = "known_fields"
        case tokensFile = "tokens_file", maxBodyBytes = "max_body_bytes", maxModelBytes = "max_model_bytes"
        case maxBatchEvents = "max_batch_events", tickIntervalSeconds = "tick_interval_seconds"
        case groupCommitMaxEvents = "group_commit_max_events", groupCommitWindowMilliseconds = "group_commit_window_ms"
        case deliveryIntervalSeconds = "delivery_interval_seconds", retryBaseSeconds = "retry_base_seconds"
        case maxRetryDelaySeconds = "max_retry_delay_seconds", alertChannels = "alert_channels"
        case defaultChannel = "default_channel", smtp, crmSyncURL = "crm_sync_url"
        case tlsCertificate = "tls_certificate", tlsKey = "tls_key", webhookSecretFile = "webhook_secret_file"
        case deadLetterAfterAttempts = "dead_letter_after_attempts", deadLetterAfterSeconds = "dead_letter_after_seconds"
        case eventSource = "event_source", crmWriteback = "crm_writeback"
        case fieldMapping = "field_mapping", segmentSecretFile = "segment_secret_file", segmentEvents = "segment_events"
        case publicBaseURL = "public_base_url"
        case hubspotClientSecretFile = "hubspot_client_secret_file", hubspotPortalID = "hubspot_portal_id"
        case salesforceOrganizationID = "salesforce_organization_id", salesforceCurrency = "salesforce_currency"
        case marketoSecretFile = "marketo_secret_file", marketoTimeZone = "marketo_time_zone"
        case actionKeyFile = "action_key_file", actionTokenLifetimeSeconds = "action_token_lifetime_seconds"
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ServiceConfiguration()
        db = try c.decodeIfPresent(String.self, forKey: .db)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? d.host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? d.port
        playbook = try c.decodeIfPresent(String.self, forKey: .playbook)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        knownFields = try c.decodeIfPresent([String].self, forKey: .knownFields) ?? []
        tokensFile = try c.decodeIfPresent(String.self, forKey: .tokensFile)
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? d.maxBodyBytes
        maxModelBytes = try c.decodeIfPresent(Int.self, forKey: .maxModelBytes) ?? d.maxModelBytes
        maxBatchEvents = try c.decodeIfPresent(Int.self, forKey: .maxBatchEvents) ?? d.maxBatchEvents
        groupCommitMaxEvents = try c.decodeIfPresent(Int.self, forKey: .groupCommitMaxEvents) ?? d.groupCommitMaxEvents
        groupCommitWindowMilliseconds =
            try c.decodeIfPresent(Double.self, forKey: .groupCommitWindowMilliseconds) ?? d.groupCommitWindowMilliseconds
        tickIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .tickIntervalSeconds) ?? d.tickIntervalSeconds
        deliveryIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .deliveryIntervalSeconds) ?? d.deliveryIntervalSeconds
        retryBaseSeconds = try c.decodeIfPresent(Double.self, forKey: .retryBaseSeconds) ?? d.retryBaseSeconds
        maxRetryDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .maxRetryDelaySeconds) ?? d.maxRetryDelaySeconds
        alertChannels = try c.decodeIfPresent([String: AlertChannel].self, forKey: .alertChannels) ?? [:]
        defaultChannel = try c.decodeIfPresent(AlertChannel.self, forKey: .defaultChannel)
        smtp = try c.decodeIfPresent(SMTPSettings.self, forKey: .smtp)
        crmSyncURL = try c.decodeIfPresent(String.self, forKey: .crmSyncURL)
        tlsCertificate = try c.decodeIfPresent(String.self, forKey: .tlsCertificate)
        tlsKey = try c.decodeIfPresent(String.self, forKey: .tlsKey)
        webhookSecretFile = try c.decodeIfPresent(String.self, forKey: .webhookSecretFile)
        deadLetterAfterAttempts = try c.decodeIfPresent(Int.self, forKey: .deadLetterAfterAttempts) ?? d.deadLetterAfterAttempts
        deadLetterAfterSeconds = try c.decodeIfPresent(Double.self, forKey: .deadLetterAfterSeconds) ?? d.deadLetterAfterSeconds
        eventSource = try c.decodeIfPresent(String.self, forKey: .eventSource) ?? d.eventSource
        crmWriteback = try c.decodeIfPresent(String.self, forKey: .crmWriteback)
        fieldMapping = try c.decodeIfPresent(String.self, forKey: .fieldMapping)
        segmentSecretFile = try c.decodeIfPresent(String.self, forKey: .segmentSecretFile)
        segmentEvents = try c.decodeIfPresent([String: String].self, forKey: .segmentEvents) ?? [:]
        publicBaseURL = try c.decodeIfPresent(String.self, forKey: .publicBaseURL)
        hubspotClientSecretFile = try c.decodeIfPresent(String.self, forKey: .hubspotClientSecretFile)
        hubspotPortalID = try c.decodeIfPresent(Int64.self, forKey: .hubspotPortalID)
        salesforceOrganizationID = try c.decodeIfPresent(String.self, forKey: .salesforceOrganizationID)
        salesforceCurrency = try c.decodeIfPresent(String.self, forKey: .salesforceCurrency)
        marketoSecretFile = try c.decodeIfPresent(String.self, forKey: .marketoSecretFile)
        marketoTimeZone = try c.decodeIfPresent(String.self, forKey: .marketoTimeZone)
        actionKeyFile = try c.decodeIfPresent(String.self, forKey: .actionKeyFile)
        actionTokenLifetimeSeconds = try c.decodeIfPresent(Double.self, forKey: .actionTokenLifetimeSeconds) ?? d.actionTokenLifetimeSeconds
    }

    /// Reads a configuration file.
    /// - Throws: ``ServiceError/configuration(file:key:problem:)`` naming the key that is wrong.
    package static func load(file: String) throws(ServiceError) -> ServiceConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw .configuration(file: file, key: nil, problem: "cannot be read (\(error.localizedDescription))")
        }
        // A key the service does not read is refused rather than ignored: a misspelt
        // `webhook_secret_file` would otherwise send every webhook unsigned without a word.
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let known = CodingKeys.allCases.map(\.rawValue)
            for key in object.keys.sorted() where !known.contains(key) {
                let near = NearestName.closest(to: key, among: known).map { "did you mean `\($0)`? " } ?? ""
                throw .configuration(
                    file: file, key: key,
                    problem: "is not a configuration key; \(near)the keys are listed in Notebooks-md/formats.md (Service configuration)")
            }
        }
        do {
            return try JSONDecoder().decode(ServiceConfiguration.self, from: data)
        } catch let error as DecodingError {
            throw .configuration(file: file, key: error.fieldPath, problem: error.problem)
        } catch {
            throw .configuration(file: file, key: nil, problem: "is not valid JSON (\(error))")
        }
    }

    /// Applies `BATON_*` variables over this configuration.
    /// - Throws: ``ServiceError/configuration(file:key:problem:)`` for a number that does not parse.
    package mutating func applyEnvironment(_ env: [String: String]) throws(ServiceError) {
        func number<T: LosslessStringConvertible>(_ name: String, _ type: T.Type) throws(ServiceError) -> T? {
            guard let raw = env[name] else { return nil }
            guard let value = T(raw.trimmingCharacters(in: .whitespaces)) else {
                throw .configuration(file: "environment", key: name, problem: "`\(raw)` is not a number")
            }
            return value
        }
        if let v = env["BATON_DB"] { db = v }
        if let v = env["BATON_HOST"] { host = v }
        if let v = try number("BATON_PORT", Int.self) { port = v }
        if let v = env["BATON_PLAYBOOK"] { playbook = v }
        if let v = env["BATON_MODEL"] { model = v }
        if let v = env["BATON_TOKENS_FILE"] { tokensFile = v }
        if let v = try number("BATON_MAX_BODY_BYTES", Int.self) { maxBodyBytes = v }
        if let v = try number("BATON_MAX_BATCH_EVENTS", Int.self) { maxBatchEvents = v }
        if let v = try number("BATON_GROUP_COMMIT_MAX_EVENTS", Int.self) { groupCommitMaxEvents = v }
        if let v = try number("BATON_GROUP_COMMIT_WINDOW_MS", Double.self) { groupCommitWindowMilliseconds = v }
        if let v = try number("BATON_TICK_INTERVAL_SECONDS", Double.self) { tickIntervalSeconds = v }
        if let v = try number("BATON_DELIVERY_INTERVAL_SECONDS", Double.self) { deliveryIntervalSeconds = v }
        if let v = env["BATON_CRM_SYNC_URL"] { crmSyncURL = v }
        if let v = env["BATON_TLS_CERTIFICATE"] { tlsCertificate = v }
        if let v = env["BATON_TLS_KEY"] { tlsKey = v }
        if let v = env["BATON_WEBHOOK_SECRET_FILE"] { webhookSecretFile = v }
        if let v = try number("BATON_DEAD_LETTER_AFTER_ATTEMPTS", Int.self) { deadLetterAfterAttempts = v }
        if let v = try number("BATON_DEAD_LETTER_AFTER_SECONDS", Double.self) { deadLetterAfterSeconds = v }
        if let v = env["BATON_EVENT_SOURCE"] { eventSource = v }
        if let v = env["BATON_CRM_WRITEBACK"] { crmWriteback = v }
        if let v = env["BATON_FIELD_MAPPING"] { fieldMapping = v }
        if let v = env["BATON_SEGMENT_SECRET_FILE"] { segmentSecretFile = v }
        if let v = env["BATON_PUBLIC_BASE_URL"] { publicBaseURL = v }
        if let v = env["BATON_HUBSPOT_CLIENT_SECRET_FILE"] { hubspotClientSecretFile = v }
        if let v = env["BATON_SALESFORCE_ORGANIZATION_ID"] { salesforceOrganizationID = v }
        if let v = env["BATON_MARKETO_SECRET_FILE"] { marketoSecretFile = v }
        if let v = env["BATON_MARKETO_TIME_ZONE"] { marketoTimeZone = v }
        if let v = env["BATON_ACTION_KEY_FILE"] { actionKeyFile = v }
        if let v = try number("BATON_ACTION_TOKEN_LIFETIME_SECONDS", Double.self) { actionTokenLifetimeSeconds = v }
    }

    /// Checks ranges and that the database is named.
    package func validated() throws(ServiceError) -> ServiceConfiguration {
        guard let db, !db.isEmpty else {
            throw .configuration(file: nil, key: "db", problem: "is required: pass --db FILE, set BATON_DB or `db` in the config file")
        }
        guard (0...65535).contains(port) else { throw .configuration(file: nil, key: "port", problem: "must be 0…65535, got \(port)") }
        guard maxBodyBytes > 0, maxModelBytes > 0, maxBatchEvents > 0 else {
            throw .configuration(file: nil, key: "max_body_bytes/max_model_bytes/max_batch_events", problem: "must be positive")
        }
        guard (1...10_000).contains(groupCommitMaxEvents) else {
            throw .configuration(
                file: nil, key: "group_commit_max_events", problem: "must be 1…10000 (1 commits every event alone), got \(groupCommitMaxEvents)")
        }
        guard groupCommitWindowMilliseconds.isFinite, (0...1000).contains(groupCommitWindowMilliseconds) else {
            throw .configuration(
                file: nil, key: "group_commit_window_ms",
                problem: "must be 0…1000 milliseconds (0 never waits for concurrent events), got \(groupCommitWindowMilliseconds)")
        }
        guard tickIntervalSeconds > 0, deliveryIntervalSeconds > 0, retryBaseSeconds > 0 else {
            throw .configuration(file: nil, key: "tick_interval_seconds/delivery_interval_seconds/retry_base_seconds", problem: "must be positive")
        }
        guard (1...1000).contains(deadLetterAfterAttempts) else {
            throw .configuration(file: nil, key: "dead_letter_after_attempts", problem: "must be 1…1000, got \(deadLetterAfterAttempts)")
        }
        guard deadLetterAfterSeconds.isFinite, deadLetterAfterSeconds >= 60, deadLetterAfterSeconds <= 31_536_000 else {
            throw .configuration(file: nil, key: "dead_letter_after_seconds", problem: "must be 60…31536000 (one minute to a year)")
        }
        guard retryBaseSeconds.isFinite, maxRetryDelaySeconds.isFinite, maxRetryDelaySeconds >= retryBaseSeconds else {
            throw .configuration(file: nil, key: "max_retry_delay_seconds", problem: "must be at least retry_base_seconds")
        }
        // RFC 3986 URI-reference, as CloudEvents requires of `source`: printable ASCII, no spaces.
        guard !eventSource.isEmpty, eventSource.count <= 512, eventSource.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            URL(string: eventSource) != nil
        else {
            throw .configuration(
                file: nil, key: "event_source", problem: "must be a URI reference such as https://baton.example.com or urn:baton:eu-1")
        }
        switch (tlsCertificate, tlsKey) {
        case (nil, nil), (.some, .some): break
        case (.some, nil):
            throw .configuration(file: nil, key: "tls_key", problem: "is required with tls_certificate: pass --tls-key FILE (the PEM private key)")
        case (nil, .some):
            throw .configuration(file: nil, key: "tls_certificate", problem: "is required with tls_key: pass --tls-certificate FILE (the PEM chain)")
        }
        if let salesforceOrganizationID, SalesforceID.canonical(salesforceOrganizationID) == nil {
            throw .configuration(
                file: nil, key: "salesforce_organization_id",
                problem: "is not a Salesforce id (15 or 18 letters and digits, e.g. 00D5e000000KQ2e); copy it from Setup → Company Information")
        }
        if let salesforceCurrency, salesforceCurrency.count != 3 || !salesforceCurrency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            throw .configuration(file: nil, key: "salesforce_currency", problem: "must be an ISO 4217 code such as EUR")
        }
        guard actionTokenLifetimeSeconds.isFinite, (60...2_592_000).contains(actionTokenLifetimeSeconds) else {
            throw .configuration(file: nil, key: "action_token_lifetime_seconds", problem: "must be 60…2592000 (one minute to 30 days)")
        }
        let ntfyChannels = (alertChannels.map { ($0.key, $0.value) } + [defaultChannel.map { ("default_channel", $0) }].compactMap { $0 })
            .filter { $0.1.kind == .ntfy || $0.1.kind == .webpush }
        if let (name, channel) = ntfyChannels.first {
            guard publicBaseURL != nil else {
                throw .configuration(
                    file: nil, key: "public_base_url",
                    problem:
                        "is required by the \(channel.kind.rawValue) channel '\(name)': its buttons and click link are absolute URLs a phone opens (e.g. https://baton.example.com)"
                )
            }
            guard resolvedActionKeyFile != nil else {
                throw .configuration(
                    file: nil, key: "action_key_file",
                    problem:
                        "is required with a PostgreSQL store and push channels: every instance must sign and check buttons with the same key file")
            }
        }
        if let publicBaseURL {
            guard let url = URL(string: publicBaseURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
                url.path.isEmpty || url.path == "/", url.query == nil
            else {
                throw .configuration(
                    file: nil, key: "public_base_url",
                    problem: "must be the scheme and host (and port) vendors call, such as https://baton.example.com, with no path or query")
            }
        }
        return self
    }

    /// Where the action-token key lives: ``actionKeyFile``, else `<db>.action-key` beside an
    /// SQLite file; nil for PostgreSQL without a file.
    package var resolvedActionKeyFile: String? {
        if let actionKeyFile { return actionKeyFile }
        guard let db, !db.isEmpty, !StoreLocation.isPostgresURL(db) else { return nil }
        return "\(db).action-key"
    }

    /// The group commit's bounds (call on a ``validated()`` configuration).
    package var groupCommitSettings: GroupCommit.Settings {
        GroupCommit.Settings(
            maxUnits: max(1, groupCommitMaxEvents),
            window: .microseconds((groupCommitWindowMilliseconds * 1000).clampedInt(in: 0...1_000_000)))
    }

    /// True when an `alert_channels` entry or the default channel is `webpush`.
    package var hasWebPushChannel: Bool {
        alertChannels.values.contains { $0.kind == .webpush } || defaultChannel?.kind == .webpush
    }

    /// The old token file to import on first start: `tokens_file` if set, else `<db>.tokens.json`
    /// for an SQLite file (a PostgreSQL URL has no folder beside it, so none by default).
    package var legacyTokensFile: String? {
        if let tokensFile { return tokensFile }
        guard let db, !db.isEmpty, !StoreLocation.isPostgresURL(db) else { return nil }
        return "\(db).tokens.json"
    }
}

/// Where one rep's (or queue's) alerts go.
package struct AlertChannel: Sendable, Equatable, Codable {
    package enum Kind: String, Sendable, Equatable, Codable {
        /// JSON POST of the alert record to `url`.
        case webhook
        /// Slack-style incoming webhook: `{"text": …}` POSTed to `url`.
        case slack
        /// A mail to `to` through the configured SMTP server.
        case email
        /// An ntfy publish (https://docs.ntfy.sh/publish/#publish-as-json) to `topic` on the server
        /// at `url`, with Accept / Log a call buttons (``NtfyMessage``).
        case ntfy
        /// Web Push (RFC 8030) to every browser the rep subscribed from the dashboard
        /// (`POST /push/subscriptions`), encrypted `aes128gcm` (RFC 8291), signed with VAPID (RFC 8292).
        case webpush
    }

    package var kind: Kind
    /// The webhook URL; for ntfy, the server's root (`https://ntfy.sh`).
    package var url: String?
    package var to: String?
    /// ntfy: the topic (letters, digits, `-` and `_`, at most 64: ntfy's own rule).
    package var topic: String?
    /// ntfy: a file (mode 0600) holding the access token (`tk_…`) for a protected topic.
    package var tokenFile: String?
    /// ntfy: the environment variable holding the access token, when not in a file.
    package var tokenEnv: String?
    /// ntfy: the rep whose phone subscribes to the topic, for a queue's or the default channel:
    /// the buttons act for them. Unset: the alert's target when it is a rep on the roster.
    package var rep: String?

    package init(
        kind: Kind, url: String? = nil, to: String? = nil, topic: String? = nil, tokenFile: String? = nil, tokenEnv: String? = nil,
        rep: String? = nil
    ) {
        self.kind = kind
        self.url = url
        self.to = to
        self.topic = topic
        self.tokenFile = tokenFile
        self.tokenEnv = tokenEnv
        self.rep = rep
    }

    enum CodingKeys: String, CodingKey {
        case kind, url, to, topic, rep
        case tokenFile = "token_file", tokenEnv = "token_env"
    }
}

/// The SMTP relay used for email alerts (plain SMTP, no auth: a local relay).
package struct SMTPSettings: Sendable, Equatable, Codable {
    package var host: String
    package var port: Int
    package var from: String
    package init(host: String, port: Int, from: String) {
        self.host = host
        self.port = port
        self.from = from
    }
}

extension AlertChannel {
    /// Decodes a channel, refusing an e-mail `to` that is not a plain address (it goes into an
    /// SMTP command and a header, see ``MailMessage``) when the configuration is read, not at the first alert.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let to = try c.decodeIfPresent(String.self, forKey: .to)
        if let to {
            do throws(MailAddressError) { try MailMessage.checkAddress(to, role: "to") } catch {
                throw DecodingError.dataCorruptedError(forKey: .to, in: c, debugDescription: error.description)
            }
        }
        let kind = try c.decode(Kind.self, forKey: .kind)
        let url = try c.decodeIfPresent(String.self, forKey: .url)
        let topic = try c.decodeIfPresent(String.self, forKey: .topic)
        if kind == .ntfy {
            guard let url, let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil,
                parsed.query == nil
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .url, in: c, debugDescription: "must be the ntfy server's root URL, such as https://ntfy.sh (the topic goes in `topic`)")
            }
            // https://docs.ntfy.sh/publish/#picking-a-topic: letters, numbers, `_` and `-`, up to 64 characters.
            guard let topic, (1...64).contains(topic.utf8.count),
                topic.utf8.allSatisfy({
                    $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                })
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .topic, in: c,
                    debugDescription: "must be an ntfy topic: 1 to 64 letters, digits, `-` or `_` (hard to guess: it is a password)")
            }
        }
        let tokenFile = try c.decodeIfPresent(String.self, forKey: .tokenFile)
        let tokenEnv = try c.decodeIfPresent(String.self, forKey: .tokenEnv)
        if tokenFile != nil && tokenEnv != nil {
            throw DecodingError.dataCorruptedError(forKey: .tokenEnv, in: c, debugDescription: "give token_file or token_env, not both")
        }
        let rep = try c.decodeIfPresent(String.self, forKey: .rep)
        if let rep, let problem = Identifier.problem(rep) {
            throw DecodingError.dataCorruptedError(forKey: .rep, in: c, debugDescription: problem)
        }
        self.init(kind: kind, url: url, to: to, topic: topic, tokenFile: tokenFile, tokenEnv: tokenEnv, rep: rep)
    }
}

extension SMTPSettings {
    /// Decodes the relay settings, refusing a `from` that is not a plain address and a port outside 1…65535.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let from = try c.decode(String.self, forKey: .from)
        do throws(MailAddressError) { try MailMessage.checkAddress(from, role: "from") } catch {
            throw DecodingError.dataCorruptedError(forKey: .from, in: c, debugDescription: error.description)
        }
        let port = try c.decode(Int.self, forKey: .port)
        guard (1...65_535).contains(port) else {
            throw DecodingError.dataCorruptedError(forKey: .port, in: c, debugDescription: "must be a TCP port, 1…65535")
        }
        self.init(host: try c.decode(String.self, forKey: .host), port: port, from: from)
    }
}
