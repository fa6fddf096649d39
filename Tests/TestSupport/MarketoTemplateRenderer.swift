import Foundation

/// Renders a Marketo webhook payload template the way Marketo documents it (Marketo Developer
/// Guide, "Webhooks": tokens are filled per person; with Request Token Encoding JSON, "string-type
/// tokens are automatically enclosed in double quotes" and their special characters escaped;
/// number tokens are written bare; `{{lead.Field:default=text}}` gives the value used when the
/// person's is empty; "System Tokens Glossary": `{{system.dateTime}}` is `2013-08-08 16:36:13` in
/// the subscription's time zone). Written from the documentation for the tests only: it is the
/// stand-in for Marketo, not a part of Baton.
package struct MarketoTemplateRenderer {
    /// A person's value for a token.
    package enum Value: Sendable {
        /// A string-type field (quoted and JSON-escaped when rendered).
        case text(String)
        /// A number-type field such as `{{lead.Id}}` (written bare).
        case number(Int64)
    }

    package struct UnknownToken: Error, CustomStringConvertible {
        package let token: String
        package var description: String { "template token {{\(token)}} has no value in the test's person (a typo in the template?)" }
    }

    /// Values by token name (`lead.Email Address`).
    package var values: [String: Value]
    /// The instant `{{system.dateTime}}` renders, and the subscription's zone.
    package var now: Date
    package var timeZone: TimeZone

    package init(values: [String: Value], now: Date, timeZone: TimeZone) {
        self.values = values
        self.now = now
        self.timeZone = timeZone
    }

    /// `{{system.dateTime}}` as Marketo writes it.
    package var systemDateTime: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// The request body for `template`.
    package func render(_ template: String) throws -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else {
                out += rest[open.lowerBound...]
                return out
            }
            let inside = String(rest[open.upperBound..<close.lowerBound])
            let parts = inside.split(separator: ":", maxSplits: 1).map(String.init)
            let name = parts[0]
            let fallback = parts.count > 1 && parts[1].hasPrefix("default=") ? String(parts[1].dropFirst("default=".count)) : nil
            let value: Value
            if name == "system.dateTime" {
                value = .text(systemDateTime)
            } else if let known = values[name] {
                value = known
            } else {
                throw UnknownToken(token: name)
            }
            switch value {
            case .number(let n): out += "\(n)"
            case .text(let text): out += Self.jsonString(text.isEmpty ? (fallback ?? "") : text)
            }
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }

    /// A JSON string literal (RFC 8259 §7).
    static func jsonString(_ text: String) -> String {
        var s = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": s += "\\\""
            case "\\": s += "\\\\"
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            case "\t": s += "\\t"
            default:
                if scalar.value < 0x20 { s += String(format: "\\u%04x", scalar.value) } else { s.unicodeScalars.append(scalar) }
            }
        }
        return s + "\""
    }
}
