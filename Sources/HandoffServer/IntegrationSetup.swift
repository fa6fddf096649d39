import Foundation
import HandoffFlow
import HandoffIntegrations
import HandoffRules

/// The inbound integrations as configured: the field mapping (checked against the production
/// model and the playbook at start) and each vendor's adapter with its secret. A vendor without
/// its secret has no adapter, and its route answers 404.
package struct IntegrationSetup: Sendable {
    package var publicBaseURL: String?
    package var mapping: FieldMapping
    package var hubspot: HubSpotWebhook?
    /// Segment's Webhooks destination shared secret (`segment_secret_file`); nil: the route answers 404.
    package var segmentSecret: String?
    /// Segment `track` event → Baton engagement type (`segment_events`).
    package var segmentEvents: [String: String]
    package var salesforce: SalesforceOutboundMessage?
    /// Marketo's webhook adapter (`marketo_secret_file` and `marketo_time_zone`); nil: the route answers 404.
    package var marketo: MarketoWebhook?

    package init(
        publicBaseURL: String? = nil, mapping: FieldMapping = FieldMapping(), hubspot: HubSpotWebhook? = nil, segmentSecret: String? = nil,
        segmentEvents: [String: String] = [:], salesforce: SalesforceOutboundMessage? = nil
    ) {
        self.publicBaseURL = publicBaseURL
        self.mapping = mapping
        self.hubspot = hubspot
        self.segmentSecret = segmentSecret
        self.segmentEvents = segmentEvents
        self.salesforce = salesforce
    }

    /// Reads the mapping and the secrets that `configuration` names; `environment` may hold the
    /// HubSpot client secret itself (`BATON_HUBSPOT_CLIENT_SECRET`).
    /// - Throws: ``ServiceError/configuration(file:key:problem:)`` naming the setting: a mapping
    ///   that does not parse or names a field or level the model and playbook do not know (with
    ///   the nearest ones), a secret file readable by others, empty or unreadable.
    package static func load(
        _ configuration: ServiceConfiguration, engine: HandoffEngine, environment: [String: String]
    ) throws(ServiceError) -> IntegrationSetup {
        var setup = IntegrationSetup(publicBaseURL: configuration.publicBaseURL)
        if let file = configuration.fieldMapping {
            do {
                setup.mapping = try FieldMapping.load(url: URL(fileURLWithPath: file))
                try setup.mapping.validate(against: targets(engine: engine, knownFields: Set(configuration.knownFields)))
            } catch {
                // The mapping's own message names the file and the line already; it ends with its own full stop.
                var problem = error.description
                if problem.hasSuffix(".") { problem.removeLast() }
                throw .configuration(file: nil, key: "field_mapping", problem: problem)
            }
        }
        if let secret = try secret(
            file: configuration.hubspotClientSecretFile, environment: environment["BATON_HUBSPOT_CLIENT_SECRET"],
            key: "hubspot_client_secret_file", whenEmpty: "put the app's client secret in it")
        {
            setup.hubspot = HubSpotWebhook(clientSecret: secret, portalID: configuration.hubspotPortalID, mapping: setup.mapping)
        }
        for (event, type) in configuration.segmentEvents where event.isEmpty || type.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .configuration(file: nil, key: "segment_events", problem: "maps `\(event)` to `\(type)`; name a track event and an engagement type")
        }
        setup.segmentEvents = configuration.segmentEvents
        setup.segmentSecret = try secret(
            file: configuration.segmentSecretFile, environment: nil, key: "segment_secret_file",
            whenEmpty: "paste the shared secret set on Segment's Webhooks destination")
        if let organization = configuration.salesforceOrganizationID {
            setup.salesforce = SalesforceOutboundMessage(
                organizationID: organization, mapping: setup.mapping, currency: configuration.salesforceCurrency)
        }
        if let secret = try secret(
            file: configuration.marketoSecretFile, environment: environment["BATON_MARKETO_SECRET"], key: "marketo_secret_file",
            whenEmpty: "put in it the secret your Marketo webhooks send in \(MarketoWebhook.secretHeader)")
        {
            guard secret.utf8.count >= 16, secret.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
                throw .configuration(
                    file: configuration.marketoSecretFile, key: "marketo_secret_file",
                    problem: "must be at least 16 printable characters without spaces (it travels in a header); e.g. openssl rand -hex 32")
            }
            guard let zoneName = configuration.marketoTimeZone else {
                throw .configuration(
                    file: nil, key: "marketo_time_zone",
                    problem:
                        "is required with the Marketo secret: {{system.dateTime}} is written in the subscription's time zone (Admin → Location), e.g. \"America/Chicago\""
                )
            }
            guard let zone = TimeZone(identifier: zoneName) else {
                throw .configuration(
                    file: nil, key: "marketo_time_zone",
                    problem: "`\(zoneName)` is not an IANA time zone name such as America/Chicago or Europe/Berlin")
            }
            setup.marketo = MarketoWebhook(secret: secret, timeZone: zone, mapping: setup.mapping)
        }
        return setup
    }

    /// What a mapping may name: the weight file's columns and levels, the fields the hand-off
    /// package and the playbook read, the marketing owner fields and `known_fields`.
    package static func targets(engine: HandoffEngine, knownFields: Set<String>) -> FieldMapping.Targets {
        FieldMapping.Targets(
            weights: engine.scorer.weights, otherFields: knownFields.union(HandoffPackage.documentedFields).union(OwnerFields.all))
    }

    /// A vendor secret: the file's content (not readable by others) when `file` is set, else the
    /// environment's value, trimmed; nil when neither is given.
    /// - Throws: ``ServiceError/configuration(file:key:problem:)`` for an empty secret (`whenEmpty`
    ///   says what to put in it) or a file that is readable by others or unreadable.
    static func secret(file: String?, environment: String?, key: String, whenEmpty: String) throws(ServiceError) -> String? {
        guard let raw = try file.map({ (file) throws(ServiceError) in try SecretFilePermissions.readPrivate(file, key: key) }) ?? environment else {
            return nil
        }
        let secret = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { throw .configuration(file: file, key: key, problem: "is empty; \(whenEmpty)") }
        return secret
    }

}
