import ScoringModelFormat

extension JSONText {
    /// The text as a flat JSON object whose values are all strings (a lead's stored fields), read
    /// by ``CanonicalJSON/parse(_:)`` (Baton's RFC 8259 parser) instead of `JSONDecoder`; nil when
    /// it is anything else, so the caller decodes it the general way (which also says what is wrong).
    ///
    /// Every event reads its lead's fields, and `JSONDecoder` was 5 % of an event's CPU. The
    /// parser accepts only what RFC 8259 allows (whitespace between tokens, as PostgreSQL's `jsonb`
    /// prints it; every escape, surrogate pairs joined) and refuses a repeated key (also keys
    /// equal under Unicode canonical equivalence, one key to a Swift dictionary), so whatever this
    /// returns, `JSONDecoder` decodes to the same dictionary.
    package func stringFields() -> [String: String]? {
        guard case .object(let members)? = try? CanonicalJSON.parse(Array(text.utf8)) else { return nil }
        var fields: [String: String] = [:]
        fields.reserveCapacity(members.count)
        for (key, value) in members {
            guard case .string(let text) = value else { return nil }
            fields[key] = text
        }
        return fields
    }
}
