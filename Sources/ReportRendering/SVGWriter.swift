import BatonSupport

/// Appends SVG elements one per line; attribute values and text are escaped here, nowhere else.
struct SVGWriter {
    var text = ""

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)\(Self.attributeText(attributes))>\n"
    }

    mutating func close(_ name: String) {
        text += "</\(name)>\n"
    }

    /// A self-closing element, or one with escaped text content.
    mutating func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) {
        if let content {
            text += "<\(name)\(Self.attributeText(attributes))>\(xmlEscaped(content))</\(name)>\n"
        } else {
            text += "<\(name)\(Self.attributeText(attributes))/>\n"
        }
    }

    static func attributeText(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(xmlEscaped($0.1))\"" }.joined()
    }
}

/// Short names for coordinates in attribute lists.
func coord(_ value: Double) -> String { ChartNumberFormat.coordinate(value) }

/// A rough text width for layout: proportional sans-serif averages about 0.58 em per character.
func estimatedTextWidth(_ text: String, fontSize: Double) -> Double {
    Double(text.count) * fontSize * 0.58
}

/// `text` cut to at most `maximum` characters, ending in "…" when cut.
func truncated(_ text: String, maximum: Int) -> String {
    guard text.count > maximum, maximum >= 2 else { return text }
    return String(text.prefix(maximum - 1)) + "…"
}

/// Splits `text` into lines of at most `width` characters at spaces (a longer word gets its own line).
func wrapped(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        if current.isEmpty {
            current = String(word)
        } else if current.count + 1 + word.count <= width {
            current += " " + word
        } else {
            lines.append(current)
            current = String(word)
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// Keeps element ids valid XML names: letters, digits, '-' and '_' only, starting with a letter.
func sanitizedIdentifier(_ identifier: String) -> String {
    let kept = identifier.unicodeScalars.filter {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
    }
    let text = String(String.UnicodeScalarView(kept))
    guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) else {
        return "c" + text
    }
    return text
}
