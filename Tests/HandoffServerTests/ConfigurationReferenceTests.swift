import Foundation
import HandoffServer
import TestSupport
import Testing

/// The service configuration table of `Notebooks-md/formats.md` against `ServiceConfiguration`:
/// its JSON keys, and which `BATON_*` variable sets which key.
@Suite struct ConfigurationReferenceTests {
    static let section = "Service configuration"

    /// A configuration with every setting given, so its JSON shows every key.
    static func everythingSet() -> ServiceConfiguration {
        var c = ServiceConfiguration()
        c.db = "baton.sqlite"
        c.playbook = "playbook.yaml"
        c.model = "model.json"
        c.knownFields = ["region"]
        c.tokensFile = "tokens.json"
        c.alertChannels = [
            "ana": AlertChannel(
                kind: .email, url: "https://hooks.example/a", to: "ana@example.com", topic: "baton-ana", tokenFile: "ntfy-token",
                tokenEnv: "NTFY_TOKEN",
                rep: "ana")
        ]
        c.defaultChannel = AlertChannel(
            kind: .webhook, url: "http://127.0.0.1:9000/alerts", to: "ops@example.com", topic: "baton-ops", tokenFile: "ntfy-token",
            tokenEnv: "NTFY_TOKEN",
            rep: "ana")
        c.smtp = SMTPSettings(host: "127.0.0.1", port: 25, from: "baton@example.com")
        c.crmSyncURL = "http://crm.internal/sync"
        c.tlsCertificate = "cert.pem"
        c.tlsKey = "key.pem"
        c.webhookSecretFile = "webhook-secret"
        c.crmWriteback = "crm-writeback.yaml"
        c.fieldMapping = "field-mapping.yaml"
        c.segmentSecretFile = "segment-secret"
        c.publicBaseURL = "https://baton.example.com"
        c.hubspotClientSecretFile = "hubspot-secret"
        c.hubspotPortalID = 62515
        c.salesforceOrganizationID = "00D5e000000KQ2e"
        c.salesforceCurrency = "EUR"
        c.marketoSecretFile = "marketo-secret"
        c.marketoTimeZone = "America/Chicago"
        c.actionKeyFile = "action-key"
        return c
    }

    static func object(_ configuration: ServiceConfiguration) throws -> [String: Any] {
        let data = try JSONEncoder().encode(configuration)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func everyConfigurationKeyIsDocumentedAndNoOther() throws {
        var paths = Set<String>()
        for (key, value) in try Self.object(Self.everythingSet()) {
            paths.insert(key)
            if let map = value as? [String: Any] {
                for (inner, innerValue) in map {
                    if let channel = innerValue as? [String: Any] {
                        for field in channel.keys { paths.insert("\(key).<target>.\(field)") }
                    } else {
                        paths.insert("\(key).\(inner)")
                    }
                }
            }
        }
        let documented = try FormatsReference().names(Self.section)
        #expect(documented.count == Set(documented).count, "a key is documented twice: \(documented)")
        #expect(
            paths == Set(documented), "\(FormatsReference.difference(code: paths, documented: Set(documented), what: "configuration keys"))")
    }

    /// For every key, `BATON_<KEY>` either sets exactly that key (and is documented beside it) or
    /// is not read at all (and the table's environment cell is empty).
    @Test func eachDocumentedVariableSetsItsKeyAndNoOtherIsRead() throws {
        let rows = try FormatsReference().rows(Self.section)
        let documentedVariable = Dictionary(
            rows.map { (FormatsReference.unquoted($0), FormatsReference.unquoted($0.count > 3 ? $0[3] : "")) }, uniquingKeysWith: { a, _ in a })
        let defaults = try Self.object(ServiceConfiguration())
        for (key, sample) in try Self.object(Self.everythingSet()) {
            let variable = "BATON_" + key.uppercased()
            let value: String
            switch sample {
            case is NSNumber: value = "7"
            case is String: value = "/tmp/x"
            default: value = "[]"
            }
            var configuration = ServiceConfiguration()
            try configuration.applyEnvironment([variable: value])
            let after = try Self.object(configuration)
            let changed = Set(after.keys).union(defaults.keys).filter { "\(after[$0] ?? "-")" != "\(defaults[$0] ?? "-")" }
            if documentedVariable[key]?.isEmpty == false {
                #expect(documentedVariable[key] == variable, "\(key): documented as \(documentedVariable[key] ?? "")")
                #expect(changed == [key], "\(variable) should set `\(key)`, changed \(changed.sorted())")
            } else {
                #expect(
                    changed.isEmpty,
                    "\(variable) sets \(changed.sorted()) but \(FormatsReference.relativePath) lists no variable for `\(key)`; document it")
            }
        }
    }
}
