import Foundation

/// A coding key built from any text, to list the keys a playbook mapping actually has.
struct PlaybookKey: CodingKey, Hashable {
    let stringValue: String
    let intValue: Int?
    init(_ string: String) {
        stringValue = string
        intValue = nil
    }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Rejects keys outside `allowed`, so a typo (`first_tuoch_hours`) is an error rather than a
    /// silently ignored line. The error's coding path ends at the unknown key, so
    /// ``PlaybookSectionError`` can point at its line.
    func rejectUnknownKeys(allowed: [String]) throws {
        let container = try container(keyedBy: PlaybookKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "unknown key `\(key.stringValue)`; valid keys here: \(allowed.joined(separator: ", "))")
        }
    }
}

extension KeyedDecodingContainer {
    /// Throws a data-corrupted error at `key` with `message` (what is wrong and what to do).
    func fail(_ key: Key, _ message: String) -> DecodingError {
        DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: message)
    }
}
