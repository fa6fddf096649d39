import Foundation

/// Content-Transfer-Encoding (RFC 2045 §6): how a body's bytes were made safe for transport.
package enum TransferEncoding: Sendable, Equatable {
    /// `7bit`, `8bit`, `binary` (§6.2): the bytes as they are.
    case identity
    /// `quoted-printable` (§6.7).
    case quotedPrintable
    /// `base64` (§6.8).
    case base64

    /// nil for an encoding RFC 2045 does not define (the caller keeps the bytes and warns).
    package init?(name: String?) {
        switch (name ?? "7bit").trimmingCharacters(in: .whitespaces).lowercased() {
        case "7bit", "8bit", "binary", "": self = .identity
        case "quoted-printable": self = .quotedPrintable
        case "base64": self = .base64
        default: return nil
        }
    }

    /// The decoded bytes, and whether the input broke the encoding's rules (decoded as far as it goes).
    package func decode(_ bytes: ArraySlice<UInt8>) -> (bytes: [UInt8], malformed: Bool) {
        switch self {
        case .identity: return (Array(bytes), false)
        case .quotedPrintable: return Self.decodeQuotedPrintable(bytes, underscoreIsSpace: false)
        case .base64: return Self.decodeBase64(bytes)
        }
    }

    /// RFC 2045 §6.7: `=XY` is the byte 0xXY (upper- or lower-case hex is accepted, as rule (1)
    /// advises a robust decoder to); `=` at the end of a line is a soft line break; white space at
    /// the end of a line is transport padding and dropped (rule (3)). A `=` followed by anything
    /// else is kept as it stands (the "note" under rule (1)) and flagged. With `underscoreIsSpace`
    /// (RFC 2047 §4.2 "Q" encoding) `_` is a space.
    package static func decodeQuotedPrintable(_ bytes: ArraySlice<UInt8>, underscoreIsSpace: Bool) -> (bytes: [UInt8], malformed: Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var malformed = false
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            var lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let hasNewline = lineEnd < bytes.endIndex
            let next = hasNewline ? lineEnd + 1 : lineEnd
            if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            var end = lineEnd
            while end > lineStart, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            var soft = false
            var index = lineStart
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "=") {
                    if index + 1 == end {
                        soft = true
                        index += 1
                        continue
                    }
                    if index + 2 < end, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                        out.append(high << 4 | low)
                        index += 3
                        continue
                    }
                    malformed = true
                    out.append(byte)
                    index += 1
                } else if underscoreIsSpace, byte == UInt8(ascii: "_") {
                    out.append(0x20)
                    index += 1
                } else {
                    out.append(byte)
                    index += 1
                }
            }
            if hasNewline, !soft { out.append(UInt8(ascii: "\n")) }
            lineStart = next
        }
        return (out, malformed)
    }

    /// RFC 2045 §6.8: characters outside the base64 alphabet (line breaks, spaces) are ignored;
    /// decoding stops at `=` padding. A final group of 2 or 3 characters without its padding is
    /// decoded as far as it goes; a lone final character is dropped; both are flagged.
    package static func decodeBase64(_ bytes: ArraySlice<UInt8>) -> (bytes: [UInt8], malformed: Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 4)
        var group: UInt32 = 0
        var count = 0
        var padded = false
        var malformed = false
        for byte in bytes {
            if byte == UInt8(ascii: "=") {
                padded = true
                continue
            }
            guard let value = base64Value(byte) else {
                if !(byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A) { malformed = true }
                continue
            }
            if padded {
                malformed = true
                break
            }
            group = group << 6 | UInt32(value)
            count += 1
            if count == 4 {
                out.append(UInt8(truncatingIfNeeded: group >> 16))
                out.append(UInt8(truncatingIfNeeded: group >> 8))
                out.append(UInt8(truncatingIfNeeded: group))
                group = 0
                count = 0
            }
        }
        switch count {
        case 2:
            out.append(UInt8(truncatingIfNeeded: group >> 4))
            if !padded { malformed = true }
        case 3:
            out.append(UInt8(truncatingIfNeeded: group >> 10))
            out.append(UInt8(truncatingIfNeeded: group >> 2))
            if !padded { malformed = true }
        case 1: malformed = true
        default: break
        }
        return (out, malformed)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    private static func base64Value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
