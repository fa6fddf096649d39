import ArgumentParser
import Foundation
import HandoffRules
import HandoffServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the hand-off service: events in over HTTP, scores, routing, SLA timers and alerts out.",
        discussion: """
            Settings come from, lowest to highest precedence: defaults, the --config JSON file \
            (or BATON_CONFIG), BATON_* environment variables, then these flags. --db is an \
            SQLite file or a postgres:// URL; several instances may share one PostgreSQL \
            database behind a load balancer. Tokens live in the store (only their SHA-256), so \
            every instance sees them at once. On first start (no token in the store) an old \
            <db>.tokens.json (or tokens_file) is imported and renamed to .imported; without one \
            an admin token is printed once to standard output (by one instance only, when \
            several start together), or written to --admin-token-file (mode 0600) instead. The weight file given with --model is registered and \
            promoted when the store has no production model yet; afterwards the model registry \
            (POST /models, /models/{sha}/promote, /models/rollback) decides. With \
            --tls-certificate and --tls-key the port speaks HTTPS only; binding another address \
            than loopback without them prints a warning (put a TLS-terminating proxy in front).

            Every configuration key with its environment variable and flag, every playbook key \
            and every field of the hand-off package: \(Playbook.formatsReference) in the \
            repository.

            Exit codes: 0 stopped by SIGINT/SIGTERM, 64 usage, configuration or malformed \
            --db URL, 65 bad store, playbook or model, 69 database server unreachable, 1 other.
            """)

    // Optional, unlike StoreOptions' --db: the configuration file or BATON_DB may give it.
    @Option(help: StoreOptions.help) var db: String?
    @Option(help: "Address to bind (default 127.0.0.1). Another address without --tls-certificate prints a warning.") var host: String?
    @Option(help: "TCP port (default 8080; 0 picks a free one).") var port: Int?
    @Option(help: "JSON configuration file; its keys: \(Playbook.formatsReference).") var config: String?
    @Option(help: "Hand-off playbook (YAML) with qualification, routing, sla and reps; its keys: \(Playbook.formatsReference).")
    var playbook: String?
    @Option(help: "Weight file promoted on first start.") var model: String?
    @Option(
        help: """
            Write the first admin token (issued only when the store holds no token) to this new file, mode 0600, \
            instead of printing it to standard output, where terminal scrollback and process logs keep it.
            """)
    var adminTokenFile: String?
    @Option(help: "PEM certificate chain (server certificate first): serve HTTPS (TLS 1.2+) instead of HTTP. Needs --tls-key.")
    var tlsCertificate: String?
    @Option(help: "PEM private key of --tls-certificate (unencrypted, not world-readable).") var tlsKey: String?
    @Option(help: "File holding the Standard Webhooks secret (whsec_…, mode 0600): sign every webhook Baton sends.")
    var webhookSecretFile: String?
    @Option(
        help: """
            YAML file of the CRM write-back (vendor hubspot or salesforce, base_url, token_file, properties): \
            write each lead's score, stage, owner and SLA due into its CRM record through the CRM's REST API.
            """)
    var crmWriteback: String?
    @Option(help: "Group commit: the most concurrent events committed in one transaction, one sync to disk (default 256; 1 commits each alone).")
    var groupCommitMaxEvents: Int?
    @Option(help: "Group commit: how long, in milliseconds, a group's first event waits for concurrent ones (default 2; 0 never waits).")
    var groupCommitWindowMs: Double?
    @Flag(help: "Print the OpenAPI document of the API and exit.") var openapi = false

    func run() async throws {
        if openapi {
            say(OpenAPIDocument.yaml)
            return
        }
        let env = ProcessInfo.processInfo.environment
        var settings = ServiceConfiguration()
        do {
            if let file = config ?? env["BATON_CONFIG"] { settings = try ServiceConfiguration.load(file: file) }
            try settings.applyEnvironment(env)
        } catch {
            fail(error.description, .usage)
        }
        if let db { settings.db = db }
        if let host { settings.host = host }
        if let port { settings.port = port }
        if let playbook { settings.playbook = playbook }
        if let model { settings.model = model }
        if let tlsCertificate { settings.tlsCertificate = tlsCertificate }
        if let tlsKey { settings.tlsKey = tlsKey }
        if let webhookSecretFile { settings.webhookSecretFile = webhookSecretFile }
        if let crmWriteback { settings.crmWriteback = crmWriteback }
        if let groupCommitMaxEvents { settings.groupCommitMaxEvents = groupCommitMaxEvents }
        if let groupCommitWindowMs { settings.groupCommitWindowMilliseconds = groupCommitWindowMs }
        if let adminTokenFile { SecretFile.requireAbsent(adminTokenFile, option: "--admin-token-file") }
        let opened: (service: HandoffService, firstAdminToken: String?)
        do {
            opened = try await HandoffService.open(settings)
        } catch {
            fail(error)
        }
        if let token = opened.firstAdminToken {
            if let adminTokenFile {
                do throws(SecretFile.Problem) {
                    try SecretFile.write(token, to: adminTokenFile)
                    say("admin token written to \(adminTokenFile) (mode 0600, shown nowhere else; only its SHA-256 is kept in the store)")
                } catch {
                    // The token exists in the store now; printing it is the only way not to lose it.
                    say("admin token (\(error); shown once here instead, only its SHA-256 is kept in the store): \(token)")
                }
            } else {
                say("admin token (shown once, only its SHA-256 is kept in the store): \(token)")
            }
        } else if let adminTokenFile {
            say("the store already holds tokens, so no admin token was issued and \(adminTokenFile) was not written (`baton tokens issue` makes one)")
        }
        if let warning = opened.service.configuration.plainHTTPExposureWarning {
            FileHandle.standardError.write(Data((warning + "\n").utf8))
        }
        let host = settings.host
        let scheme = settings.servesTLS ? "https" : "http"
        try await opened.service.run { port in
            say("baton serve listening on \(scheme)://\(host):\(port)")
        }
    }
}

/// Unbuffered, so a supervisor (or test) reading a pipe sees the line at once.
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
