/// How ``xmlEscaped(_:whitespace:)`` writes tab, newline and carriage return.
package enum XMLWhitespace: Sendable {
    /// As themselves: right for character data (SVG text, HTML).
    case literal
    /// As `&#9;`, `&#10;`, `&#13;`: right for attribute values that must survive a parser's
    /// attribute-value normalisation, which turns literal ones into spaces (PMML).
    case characterReferences
}

/// Escapes text for XML character data and attribute values (`& < > " '`), the one
/// implementation for SVG charts, PMML and the dashboard's HTML.
///
/// Control characters other than tab, newline and carriage return, and U+FFFE / U+FFFF, are not
/// allowed in XML 1.0; they are replaced by U+FFFD so that a stray byte in a lead source name
/// cannot break the document.
package func xmlEscaped(_ text: String, whitespace: XMLWhitespace = .literal) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\t", "\n", "\r":
            switch whitespace {
            case .literal: out.unicodeScalars.append(scalar)
            case .characterReferences: out += "&#\(scalar.value);"
            }
        default:
            let v = scalar.value
            if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
                out += "\u{FFFD}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}
