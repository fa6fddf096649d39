import Foundation

/// One plain-text e-mail as RFC 5322 text, built so that nothing a lead, a rep or an event
/// supplies can add a header, end the DATA phase early or reach the SMTP dialogue.
///
/// - Headers (RFC 5322 §2.2, §3.6): each is one line; the subject's control characters (CR,
///   LF, NUL, …) become spaces, and a subject that is not plain printable ASCII is written as RFC
///   2047 §4.1 `B` encoded-words (`=?UTF-8?B?…?=`, at most 75 characters each, folded onto
///   continuation lines per §2), so a `\r\nBcc: …` inside a lead id stays inside the subject.
/// - Addresses (RFC 5321 §4.1.2 `Mailbox`, RFC 5322 §3.4.1 `addr-spec`, the dot-atom form):
///   checked, never escaped, because they also go into `MAIL FROM:<…>` / `RCPT TO:<…>`.
/// - Body (RFC 2045 §6.7): quoted-printable, so every line is short 7-bit ASCII whatever the text
///   holds (bare CR or LF, NUL, long lines, UTF-8), then dot-stuffed (RFC 5321 §4.5.2): a line
///   starting with "." gets a second one, and the message ends with the one `CRLF.CRLF`.
///
/// https://www.rfc-editor.org/rfc/rfc5322 · https://www.rfc-editor.org/rfc/rfc2047 ·
/// https://www.rfc-editor.org/rfc/rfc2045#section-6.7 · https://www.rfc-editor.org/rfc/rfc5321#section-4.5.2
package struct MailMessage: Sendable, Equatable {
    package let from: String
    package let to: String
    package let subject: String
    package let body: String
    package let date: Date

    /// - Throws: ``MailAddressError`` when `from` or `to` is not a plain `local@domain` address.
    package init(from: String, to: String, subject: String, body: String, date: Date = Date()) throws(MailAddressError) {
        try Self.checkAddress(from, role: "from")
        try Self.checkAddress(to, role: "to")
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
    }

    /// The DATA payload: headers, blank line, quoted-printable body, dot-stuffed, ending in CRLF.CRLF.
    package var dataPayload: String {
        var lines = [
            "From: <\(from)>", "To: <\(to)>", Self.subjectHeader(subject), "Date: \(Self.rfc5322Date(date))",
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
        ]
        lines += Self.quotedPrintable(body)
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n.\r\n"
    }

    // MARK: Addresses

    /// `local@domain` with a dot-atom local part (RFC 5322 §3.2.3 `atext`) and a domain of
    /// letters, digits, hyphens and dots (or an address literal in brackets), at most 254 bytes.
    static func checkAddress(_ address: String, role: String) throws(MailAddressError) {
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".utf8)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.utf8.count <= 254, parts.count == 2, let local = parts.first, let domain = parts.last,
            !local.isEmpty, local.utf8.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
            local.utf8.allSatisfy({ atext.contains($0) || $0 == UInt8(ascii: ".") }),
            !domain.isEmpty, !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
            domain.utf8.allSatisfy({
                $0 < 0x80
                    && (Character(UnicodeScalar($0)).isLetter || Character(UnicodeScalar($0)).isNumber || $0 == UInt8(ascii: "-")
                        || $0 == UInt8(ascii: "."))
            })
                || (domain.hasPrefix("[") && domain.hasSuffix("]") && domain.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") })
        else {
            throw MailAddressError(role: role, address: address)
        }
    }

    // MARK: Subject

    static func subjectHeader(_ subject: String) -> String {
        let flat = String(
            String.UnicodeScalarView(
                subject.unicodeScalars.map { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0 }))
        let printable = flat.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if printable && flat.utf8.count <= 998 - 9 && !flat.contains("=?") { return "Subject: \(flat)" }
        // RFC 2047 §5 (1): encoded-words of whole characters, each ≤ 75 characters, on folded lines.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in flat {
            let bytes = Array(String(character).utf8)
            // "=?UTF-8?B?" + base64 + "?=" ≤ 75 → at most 45 bytes of text per word.
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return "Subject: " + words.joined(separator: "\r\n ")
    }

    // MARK: Body

    /// RFC 2045 §6.7 quoted-printable lines (line breaks of the text become CRLF; soft breaks `=` keep lines ≤ 76).
    static func quotedPrintable(_ text: String) -> [String] {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var out: [String] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var current = ""
            for (i, byte) in bytes.enumerated() {
                let last = i == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !last)
                let piece = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
                if current.count + piece.count > 75 {
                    out.append(current + "=")
                    current = ""
                }
                current += piece
            }
            out.append(current)
        }
        return out
    }

    /// RFC 5322 §3.3 date-time in UTC: `Thu, 04 Dec 2026 02:05:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

/// An e-mail address Baton will not put into a header or an SMTP command.
package struct MailAddressError: Error, Equatable, CustomStringConvertible {
    package let role: String
    package let address: String
    package var description: String {
        "the mail \(role) address `\(address.debugDescription.dropFirst().dropLast())` is not a plain local@domain address (RFC 5321 §4.1.2); fix it in the configuration"
    }
}
