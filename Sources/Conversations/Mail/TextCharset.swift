import Foundation

/// The character sets Baton decodes message text from, and the stated fallback for the others.
///
/// Named by the MIME `charset` parameter (RFC 2046 §4.1.2) or an RFC 2047 encoded word, compared
/// case-insensitively with the IANA character-set registry's names and common aliases:
/// - `utf-8` (RFC 3629): an invalid sequence becomes U+FFFD (a warning says so);
/// - `us-ascii` (RFC 2046 §4.1.2, the default when no charset is named): a byte above 0x7F becomes U+FFFD;
/// - `iso-8859-1` (Latin-1): each byte is the code point of the same value;
/// - `windows-1252`: Latin-1 with the printable characters Microsoft put in 0x80–0x9F (the
///   WHATWG Encoding Standard's index-windows-1252; the five undefined bytes map to C1 controls,
///   as there).
///
/// Any other charset is read as UTF-8 when the bytes are valid UTF-8, else as windows-1252, and
/// the caller gets a warning naming the charset and the reading chosen.
package enum TextCharset: Sendable, Equatable {
    case utf8, usASCII, latin1, windows1252

    /// nil for a charset outside the four.
    package init?(name: String) {
        switch name.trimmingCharacters(in: .whitespaces).lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us": self = .usASCII
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819": self = .latin1
        case "windows-1252", "cp1252", "x-cp1252": self = .windows1252
        default: return nil
        }
    }

    /// The text of `bytes`, and a warning when a byte could not be read.
    package func decode(_ bytes: some Collection<UInt8>) -> (text: String, replaced: Bool) {
        switch self {
        case .utf8:
            let text = String(decoding: bytes, as: UTF8.self)
            return (text, String(validating: bytes, as: UTF8.self) == nil)
        case .usASCII:
            var replaced = false
            var scalars = String.UnicodeScalarView()
            for byte in bytes {
                if byte < 0x80 {
                    scalars.append(Unicode.Scalar(byte))
                } else {
                    replaced = true
                    scalars.append("\u{FFFD}")
                }
            }
            return (String(scalars), replaced)
        case .latin1:
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            return (String(scalars), false)
        case .windows1252:
            var scalars = String.UnicodeScalarView()
            for byte in bytes {
                if (0x80...0x9F).contains(byte), let scalar = Unicode.Scalar(Self.windows1252High[Int(byte) - 0x80]) {
                    scalars.append(scalar)
                } else {
                    scalars.append(Unicode.Scalar(byte))
                }
            }
            return (String(scalars), false)
        }
    }

    /// Decodes with the charset named `name` (nil: US-ASCII, the MIME default), falling back as the
    /// type's documentation says; the warning (if any) names `context` (a part, a header).
    package static func decode(_ bytes: some Collection<UInt8>, charset name: String?, context: String) -> (text: String, warning: String?) {
        let label = name ?? "us-ascii"
        if let charset = TextCharset(name: label) {
            let (text, replaced) = charset.decode(bytes)
            return (text, replaced ? "\(context): bytes that are not valid \(label) were replaced by U+FFFD" : nil)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, "\(context): unknown charset '\(label)', read as UTF-8 (the bytes are valid UTF-8)")
        }
        return (TextCharset.windows1252.decode(bytes).text, "\(context): unknown charset '\(label)', read as windows-1252")
    }

    /// index-windows-1252 for 0x80…0x9F (WHATWG Encoding Standard).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
