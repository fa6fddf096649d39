import BatonSupport

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
        let attributeText = attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\"\(xmlEscaped($0.value, whitespace: .characterReferences))\"" }
            .joined()
        if let text {
            return "\(pad)<\(name)\(attributeText)>\(xmlEscaped(text, whitespace: .characterReferences))</\(name)>\n"
        }
        if children.isEmpty { return "\(pad)<\(name)\(attributeText)/>\n" }
        return "\(pad)<\(name)\(attributeText)>\n" + children.map { $0.xml(indent: indent + 1) }.joined() + "\(pad)</\(name)>\n"
    }
}
