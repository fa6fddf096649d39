/// A minimal XML element for writing PMML: attributes in sorted order so the text is deterministic.
struct PMMLNode {
    let name: String
    let attributes: [String: String]
    let children: [PMMLNode]
    let text: String?

    init(_ name: String, _ attributes: [String: String] = [:], _ children: [PMMLNode] = [], text: String? = nil) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    func xml(indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent)
        let attributeText = attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\"\(xmlEscape($0.value))\"" }.joined()
        if let text {
            return "\(pad)<\(name)\(attributeText)>\(xmlEscape(text))</\(name)>\n"
        }
        if children.isEmpty { return "\(pad)<\(name)\(attributeText)/>\n" }
        return "\(pad)<\(name)\(attributeText)>\n" + children.map { $0.xml(indent: indent + 1) }.joined() + "\(pad)</\(name)>\n"
    }
}

/// Escapes `& < > " '` and replaces characters XML 1.0 forbids by U+FFFD.
func xmlEscape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        // Tab, newline and CR in attributes would be normalised to spaces by a parser; keep them as references.
        case "\t": out += "&#9;"
        case "\n": out += "&#10;"
        case "\r": out += "&#13;"
        default:
            out.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF ? "\u{FFFD}" : scalar)
        }
    }
    return out
}
