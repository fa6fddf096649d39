import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element of a parsed SVG: its name, attributes and the text directly inside it.
struct ParsedElement {
    let name: String
    let attributes: [String: String]
    var text: String
    /// Names of the enclosing elements, outermost first.
    let ancestors: [String]
    /// Attributes of the enclosing elements, outermost first (to find the `g` a shape belongs to).
    let ancestorAttributes: [[String: String]]

    func number(_ key: String) -> Double? { attributes[key].flatMap(Double.init) }
}

/// Parses SVG text with Foundation's XMLParser; `nil` when the document is not well-formed XML.
func parseSVG(_ svg: String) -> [ParsedElement]? {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [ParsedElement] = []
        var stack: [Int] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            let ancestors = stack.map { elements[$0].name }
            let ancestorAttributes = stack.map { elements[$0].attributes }
            elements.append(ParsedElement(name: name, attributes: attributes, text: "", ancestors: ancestors, ancestorAttributes: ancestorAttributes))
            stack.append(elements.count - 1)
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = stack.last { elements[index].text += string }
        }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector.elements : nil
}

/// The plot rectangle, read back from the clip path every chart defines.
struct PlotRect {
    let x: Double, y: Double, width: Double, height: Double
    var right: Double { x + width }
    var bottom: Double { y + height }
}

func plotRect(_ elements: [ParsedElement]) -> PlotRect? {
    guard let rect = elements.first(where: { $0.name == "rect" && $0.ancestors.last == "clipPath" }),
        let x = rect.number("x"), let y = rect.number("y"), let w = rect.number("width"), let h = rect.number("height")
    else { return nil }
    return PlotRect(x: x, y: y, width: w, height: h)
}

/// Elements drawn inside the `g` whose data-series is `series`.
func elements(in series: String, of elements: [ParsedElement]) -> [ParsedElement] {
    elements.filter { element in element.ancestorAttributes.contains { $0["data-series"] == series } }
}

/// Checks that the SVG is well-formed, has the SVG namespace and a viewBox, and no NaN or infinity.
func expectWellFormedSVG(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ParsedElement] {
    guard let parsed = parseSVG(svg) else {
        Issue.record("SVG is not well-formed XML:\n\(svg.prefix(400))", sourceLocation: sourceLocation)
        return []
    }
    let root = parsed.first
    #expect(root?.name == "svg", sourceLocation: sourceLocation)
    #expect(root?.attributes["xmlns"] == "http://www.w3.org/2000/svg", sourceLocation: sourceLocation)
    #expect(root?.attributes["viewBox"] != nil, sourceLocation: sourceLocation)
    #expect(!svg.contains("NaN"), sourceLocation: sourceLocation)
    let numeric: Set<String> = ["x", "y", "cx", "cy", "r", "width", "height", "x1", "y1", "x2", "y2", "d", "viewBox", "transform"]
    for element in parsed {
        for (key, value) in element.attributes where numeric.contains(key) {
            #expect(
                !value.lowercased().contains("nan") && !value.lowercased().contains("inf"), "\(element.name) \(key)=\(value)",
                sourceLocation: sourceLocation)
        }
    }
    #expect(!svg.contains("<script") && !svg.contains("@import") && !svg.contains("href"), sourceLocation: sourceLocation)
    return parsed
}

/// The numbers of an SVG path's `d` attribute in order (commands dropped).
func pathNumbers(_ d: String) -> [Double] {
    d.split(whereSeparator: { $0.isLetter || $0 == " " }).compactMap { Double($0) }
}
