import Foundation
import HandoffIntegrations

/// What the `/integrations/…` routes read from the configuration, loaded once at start: the
/// field mapping, and each vendor's shared secret (a route whose secret is not set answers 404).
package struct IntegrationSettings: Sendable {
    package var mapping: FieldMapping
    /// Segment's Webhooks destination shared secret (`segment_secret_file`).
    package var segmentSecret: String?
    /// Segment `track` event → Baton engagement type (`segment_events`).
    package var segmentEvents: [String: String]

    package init(mapping: FieldMapping = FieldMapping(), segmentSecret: String? = nil, segmentEvents: [String: String] = [:]) {
        self.mapping = mapping
        self.segmentSecret = segmentSecret
        self.segmentEvents = segmentEvents
    }

    /// Reads `field_mapping` and `segment_secret_file`.
    /// - Throws: ``ServiceError/configuration(file:key:problem:)`` naming the file and the setting.
    package static func load(_ configuration: ServiceConfiguration) throws(ServiceError) -> IntegrationSettings {
        var settings = IntegrationSettings(segmentEvents: configuration.segmentEvents)
        if let file = configuration.fieldMapping {
            do { settings.mapping = try FieldMapping.load(url: URL(fileURLWithPath: file)) } catch {
                throw .configuration(file: file, key: "field_mapping", problem: error.description)
            }
        }
        for (event, type) in configuration.segmentEvents where event.isEmpty || type.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .configuration(file: nil, key: "segment_events", problem: "maps `\(event)` to `\(type)`; name a track event and an engagement type")
        }
        if let file = configuration.segmentSecretFile {
            try SecretFilePermissions.requirePrivate(file, key: "segment_secret_file")
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw .configuration(file: file, key: "segment_secret_file", problem: "cannot be read (\(error.localizedDescription))")
            }
            let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else {
                throw .configuration(
                    file: file, key: "segment_secret_file", problem: "is empty; paste the shared secret set on Segment's Webhooks destination")
            }
            settings.segmentSecret = secret
        }
        return settings
    }
}
