import Foundation

/// The addr-specs of an address-list header (RFC 5322 §3.4): `Name <local@domain>`,
/// `local@domain (comment)`, groups `team: a@x, b@y;`, separated by commas outside quoted strings,
/// angle brackets and comments. Each address is lower-cased (the domain is case-insensitive, and
/// mail systems treat the local part so in practice). Entries without an `@` are dropped.
package enum MailAddresses {
    package static func parse(_ value: String) -> [String] {
        var entries: [String] = []
        var current = ""
        var inQuote = false
        var inAngle = false
        var commentDepth = 0
        var escaped = false
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\" where inQuote: escaped = true
            case "\"" where commentDepth == 0: inQuote.toggle()
            case "(" where !inQuote: commentDepth += 1
            case ")" where !inQuote && commentDepth > 0: commentDepth -= 1
            case "<" where !inQuote && commentDepth == 0: inAngle = true
            case ">" where !inQuote && commentDepth == 0: inAngle = false
            case "," where !inQuote && !inAngle && commentDepth == 0, ";" where !inQuote && !inAngle && commentDepth == 0:
                entries.append(current)
                current = ""
                continue
            case ":" where !inQuote && !inAngle && commentDepth == 0:
                current = ""  // a group's display name
                continue
            default: break
            }
            current.append(character)
        }
        entries.append(current)
        return entries.compactMap(addrSpec)
    }

    /// The display name of the first mailbox (`"Dana Reyes" <dana@x>` → `Dana Reyes`), decoded
    /// (RFC 2047), or nil when there is none.
    package static func displayName(_ value: String) -> String? {
        guard let angle = value.firstIndex(of: "<") else {
            if let open = value.firstIndex(of: "("), let close = value.lastIndex(of: ")"), open < close {
                let name = value[value.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
                return name.isEmpty ? nil : EncodedWords.decode(name, context: "From").text
            }
            return nil
        }
        var name = value[value.startIndex..<angle].trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
            name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
        }
        return name.isEmpty ? nil : EncodedWords.decode(name, context: "From").text
    }

    private static func addrSpec(_ entry: String) -> String? {
        var text = entry
        if let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = String(text[text.index(after: open)..<close])
        } else {
            // Drop comments: `dana@x (Dana Reyes)`.
            var out = ""
            var depth = 0
            for character in text {
                if character == "(" {
                    depth += 1
                } else if character == ")", depth > 0 {
                    depth -= 1
                } else if depth == 0 {
                    out.append(character)
                }
            }
            text = out
        }
        let address = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let at = address.lastIndex(of: "@"), at > address.startIndex, address.index(after: at) < address.endIndex,
            !address.contains(where: { $0.isWhitespace })
        else { return nil }
        return address
    }
}
