import Foundation

/// One MIME entity (RFC 2045, RFC 2046) read into a tree: a multipart's parts, or a leaf with its
/// decoded text (for `text/*`) or its name (anything else, an attachment).
package struct MIMEPart: Sendable, Equatable {
    /// Lower-cased `type/subtype`; `text/plain` when the part has no `Content-Type` (RFC 2045 §5.2).
    package var contentType: String
    package var charset: String?
    /// `attachment` or `inline` (RFC 2183), lower-cased; nil when the part has none.
    package var disposition: String?
    /// The file name (`Content-Disposition` `filename`, else `Content-Type` `name`), if any.
    package var fileName: String?
    /// The parts of a multipart, in order; empty for a leaf.
    package var children: [MIMEPart]
    /// The decoded text of a `text/*` leaf, line breaks as `\n`; nil otherwise.
    package var text: String?

    /// Deepest nesting read; a deeper multipart is kept as an attachment with a warning.
    package static let maximumDepth = 32

    package var isMultipart: Bool { contentType.hasPrefix("multipart/") }
    package var isAttachment: Bool { disposition == "attachment" || (text == nil && !isMultipart) }

    /// Reads the entity whose header is `header` and whose body is `body`; `path` names it in
    /// warnings (`part 2.1`).
    package static func read(header: HeaderFields, body: ArraySlice<UInt8>, path: String, depth: Int, warnings: inout [String]) -> MIMEPart {
        let typeField = header.value("content-type").map { EncodedWords.decode($0, context: path).text }
        var type = HeaderParameters(typeField ?? "text/plain")
        if !type.value.contains("/") {
            if typeField != nil { warnings.append("\(path): Content-Type '\(type.value)' is not type/subtype; read as text/plain") }
            type = HeaderParameters("text/plain")
        }
        let disposition = header.value("content-disposition").map(HeaderParameters.init)
        var part = MIMEPart(
            contentType: type.value, charset: type.parameters["charset"], disposition: disposition?.value,
            fileName: disposition?.parameters["filename"] ?? type.parameters["name"], children: [], text: nil)
        if part.isMultipart {
            guard depth < maximumDepth else {
                warnings.append("\(path): multipart nested deeper than \(maximumDepth) levels; kept as an attachment")
                part.contentType = "application/octet-stream"
                return part
            }
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 else {
                warnings.append("\(path): \(type.value) without a usable boundary parameter; its body is read as plain text")
                part.contentType = "text/plain"
                part.text = decodeText(body, header: header, charset: nil, path: path, warnings: &warnings)
                return part
            }
            let split = MultipartSplit(body, boundary: boundary)
            if split.parts.isEmpty {
                warnings.append("\(path): no '--\(boundary)' delimiter line found; the body is read as plain text")
                part.contentType = "text/plain"
                part.text = decodeText(body, header: header, charset: nil, path: path, warnings: &warnings)
                return part
            }
            if !split.closed { warnings.append("\(path): the closing delimiter '--\(boundary)--' is missing; the last part runs to the end") }
            for (number, bytes) in split.parts.enumerated() {
                let childPath = path == "message" ? "part \(number + 1)" : "\(path).\(number + 1)"
                switch HeaderFields.parse(bytes) {
                case .success(let childHeader):
                    if childHeader.missingSeparatorLine != nil {
                        warnings.append("\(childPath): no empty line after the part's header; the body starts at its first line that is not a field")
                    }
                    let childBody = bytes[childHeader.bodyStart...]
                    part.children.append(read(header: childHeader, body: childBody, path: childPath, depth: depth + 1, warnings: &warnings))
                case .failure:
                    // RFC 2046 §5.1.1: a part may start with no header at all (then it is text/plain
                    // in US-ASCII): its first line is body.
                    let empty = HeaderFields(fields: [], bodyStart: bytes.startIndex, bodyLine: 1, missingSeparatorLine: nil)
                    part.children.append(read(header: empty, body: bytes, path: childPath, depth: depth + 1, warnings: &warnings))
                }
            }
            return part
        }
        if type.value.hasPrefix("text/"), part.disposition != "attachment" {
            part.text = decodeText(body, header: header, charset: part.charset, path: path, warnings: &warnings)
        }
        return part
    }

    private static func decodeText(
        _ body: ArraySlice<UInt8>, header: HeaderFields, charset: String?, path: String, warnings: inout [String]
    ) -> String {
        let encodingName = header.value("content-transfer-encoding")
        let encoding: TransferEncoding
        if let known = TransferEncoding(name: encodingName) {
            encoding = known
        } else {
            warnings.append("\(path): unknown Content-Transfer-Encoding '\(encodingName ?? "")'; the bytes are read as they are")
            encoding = .identity
        }
        let (bytes, malformed) = encoding.decode(body)
        if malformed { warnings.append("\(path): malformed \(encodingName ?? "") content, decoded as far as it goes") }
        let (text, warning) = TextCharset.decode(bytes, charset: charset, context: path)
        if let warning { warnings.append(warning) }
        return text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// The readable body: text/plain where there is a choice; an HTML-only part as text (tags
    /// dropped, see ``HTMLText``). In `multipart/alternative` the last `text/plain` alternative is
    /// taken (RFC 2046 §5.1.4: later is preferred), else the last HTML one; the other multiparts
    /// join the text of their parts, attachments left out.
    package var readableText: String? {
        if let text, disposition != "attachment" {
            if contentType == "text/html" { return HTMLText.plainText(text) }
            return text
        }
        if contentType == "multipart/alternative" {
            if let plain = children.last(where: { $0.contentType == "text/plain" && $0.disposition != "attachment" })?.text { return plain }
            return children.reversed().lazy.compactMap(\.readableText).first
        }
        let pieces = children.compactMap(\.readableText).filter { !$0.isEmpty }
        return pieces.isEmpty ? nil : pieces.joined(separator: "\n\n")
    }

    /// File names (or types) of the attachments, depth first.
    package var attachmentNames: [String] {
        if isMultipart { return children.flatMap(\.attachmentNames) }
        return isAttachment ? [fileName ?? contentType] : []
    }

    /// Every `text/*` leaf with its decoded text, depth first (what the tests compare with Python's `email`).
    package var textLeaves: [(contentType: String, text: String)] {
        if isMultipart { return children.flatMap(\.textLeaves) }
        return text.map { [(contentType, $0)] } ?? []
    }
}

/// A multipart body cut at its delimiter lines (RFC 2046 §5.1.1): `--boundary` at the start of a
/// line, then optional white space (transport padding); `--boundary--` closes. The line break
/// before a delimiter belongs to the delimiter. The preamble and the epilogue are dropped.
struct MultipartSplit {
    var parts: [ArraySlice<UInt8>] = []
    var closed = false

    init(_ body: ArraySlice<UInt8>, boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        var partStart: Int?
        var index = body.startIndex
        while index < body.endIndex {
            let end = body[index...].firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
            let next = end < body.endIndex ? end + 1 : end
            if body[index...].starts(with: delimiter) {
                var rest = body[(index + delimiter.count)..<end]
                let isClose = rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")])
                if isClose { rest = rest.dropFirst(2) }
                if rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    if let start = partStart {
                        var stop = index
                        if stop > start, body[stop - 1] == UInt8(ascii: "\n") { stop -= 1 }
                        if stop > start, body[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
                        parts.append(body[start..<max(start, stop)])
                    }
                    if isClose {
                        closed = true
                        return
                    }
                    partStart = next
                }
            }
            index = next
        }
        if let start = partStart { parts.append(body[start..<body.endIndex]) }
    }
}
