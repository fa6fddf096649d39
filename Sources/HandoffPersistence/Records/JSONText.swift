import Foundation

/// A JSON document stored as text (SQLite `TEXT` checked by `json_valid`, PostgreSQL `jsonb`).
///
/// The store keeps lead fields, reason codes, evidence and payloads as JSON so the domain can
/// evolve them without a migration. Encoding uses sorted keys, so equal values give equal text.
package struct JSONText: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The JSON text, exactly as stored.
    package let text: String

    /// The empty object `{}`.
    package static let emptyObject = JSONText(trusted: "{}")
    /// The empty array `[]`.
    package static let emptyArray = JSONText(trusted: "[]")

    package init(trusted text: String) { self.text = text }

    /// Wraps `text` after checking that it parses as JSON.
    ///
    /// - Throws: ``StoreError/invalidField(record:field:reason:)`` naming `record` and `field`.
    package init(validating text: String, record: String = "JSON value", field: String = "json") throws(StoreError) {
        guard let data = text.data(using: .utf8),
            (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
        else {
            throw .invalidField(record: record, field: field, reason: "is not valid JSON")
        }
        self.text = text
    }

    /// Encodes `value` with sorted keys; dates as milliseconds since 1970-01-01 UTC.
    ///
    /// The text is `JSONEncoder`'s with those settings, byte for byte; ``SortedJSONEncoder``
    /// writes it for the values it covers (all the store's records), `JSONEncoder` for the rest.
    package init<T: Encodable>(encoding value: T) throws(StoreError) {
        if let bytes = SortedJSONEncoder.encode(value) {
            self.text = String(decoding: bytes, as: UTF8.self)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        do {
            let data = try encoder.encode(value)
            self.text = String(decoding: data, as: UTF8.self)
        } catch {
            throw .invalidField(record: String(describing: T.self), field: "json", reason: "cannot be encoded as JSON (\(error))")
        }
    }

    /// Decodes the text as `T` (dates as milliseconds since 1970-01-01 UTC).
    package func decode<T: Decodable>(_ type: T.Type) throws(StoreError) -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw .invalidField(record: String(describing: T.self), field: "json", reason: "does not decode (\(error))")
        }
    }

    package var description: String { text }
}
