import Foundation

/// The key two leads of one person share (issue 16): the normalised e-mail address.
///
/// The rule: trimmed and lower-cased (RFC 5321 §2.4 lets a host treat local parts as
/// case-sensitive; no mail service in use does, and CRMs deduplicate case-insensitively); a
/// sub-address tag (`+…` in the local part, RFC 5233) dropped, since `ana+webinar@acme.com`
/// reaches `ana@acme.com`; for Gmail (`gmail.com`, `googlemail.com`) dots in the local part
/// dropped and the domain read as `gmail.com`, as Gmail delivers them to one mailbox. No key for a
/// value that is not one address (no `@`, an empty part, spaces, more than 320 bytes).
package enum EmailKey {
    /// The longest address keyed, in bytes (RFC 3696 errata: 64 + 1 + 255).
    package static let maximumBytes = 320

    package static func of(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard trimmed.utf8.count <= maximumBytes, let at = trimmed.lastIndex(of: "@") else { return nil }
        var local = String(trimmed[..<at])
        var domain = String(trimmed[trimmed.index(after: at)...])
        guard !local.isEmpty, !domain.isEmpty, domain.contains("."), !local.contains("@"),
            !trimmed.unicodeScalars.contains(where: {
                CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0)
            })
        else { return nil }
        if let plus = local.firstIndex(of: "+"), plus != local.startIndex { local = String(local[..<plus]) }
        if domain == "googlemail.com" { domain = "gmail.com" }
        if domain == "gmail.com" { local.removeAll { $0 == "." } }
        guard !local.isEmpty else { return nil }
        return local + "@" + domain
    }
}
