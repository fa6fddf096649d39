/// What Baton accepts as an id (event, lead, rep, opportunity, account, token name): printable
/// UTF-8 text of at most ``maximumBytes`` bytes, without control characters.
///
/// The rule exists because an id travels everywhere: into SQL bindings (SQLite's C API cuts text
/// at a NUL, so `L-1\u{0}x` would be applied to `L-1`), into e-mail subjects and HTTP headers
/// (CR/LF would start a new header), into URLs, logs and terminal tables. Refusing them at the
/// door is the only way none of those places has to guess.
package enum Identifier {
    /// The longest id, in UTF-8 bytes: room for any CRM's ids (Salesforce 18, HubSpot ≤ 20,
    /// UUIDs 36, URNs) with a generous margin, and a bound on every index and message.
    package static let maximumBytes = 256

    /// Why `text` is not an acceptable id (nil when it is): empty, too long, or holding a control
    /// character (C0, DEL, C1: Unicode category Cc) or a line / paragraph separator (U+2028, U+2029).
    package static func problem(_ text: String) -> String? {
        if text.isEmpty { return "is empty" }
        let bytes = text.utf8.count
        if bytes > maximumBytes { return "is \(bytes) bytes long; an id has at most \(maximumBytes) bytes (UTF-8)" }
        if let bad = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            let code = String(bad.value, radix: 16, uppercase: true)
            return
                "holds the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code); an id is printable text (no NUL, CR, LF, tab or other control characters)"
        }
        return nil
    }
}
