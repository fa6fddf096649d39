import Foundation

/// RFC 2047 encoded words in header text: `=?charset?encoding?encoded-text?=`.
///
/// - Encoding `B` is base64 (§4.1), `Q` is quoted-printable with `_` for a space (§4.2), either case.
/// - The charset may carry an RFC 2231 §5 language (`utf-8*en`), which is ignored.
/// - White space between two adjacent encoded words is dropped (§6.2), so a phrase split over
///   several words reads back whole; white space next to ordinary text is kept.
/// - A word that does not decode (a bad encoding letter, malformed base64) is left as written,
///   as §6.3 asks ("display the encoded-word as is"), and flagged.
package enum EncodedWords {
    /// The decoded text and the warnings (unknown charsets, words left as written).
    package static func decode(_ text: String, context: String) -> (text: String, warnings: [String]) {
        guard text.contains("=?") else { return (text, []) }
        var output = ""
        var warnings: [String] = []
        var pendingSpace = ""
        var previousWasEncoded = false
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let (word, after) = encodedWord(in: rest) {
                if let decoded = decodeWord(word, context: context, warnings: &warnings) {
                    if !previousWasEncoded { output += pendingSpace }
                    output += decoded
                    previousWasEncoded = true
                } else {
                    output += pendingSpace + rest[rest.startIndex..<after]
                    previousWasEncoded = false
                }
                pendingSpace = ""
                rest = rest[after...]
                continue
            }
            let character = rest.removeFirst()
            if character == " " || character == "\t" {
                pendingSpace.append(character)
            } else {
                output += pendingSpace
                pendingSpace = ""
                output.append(character)
                previousWasEncoded = false
            }
        }
        output += pendingSpace
        return (output, warnings)
    }

    /// The pieces of an encoded word at the start of `text` and the index after it.
    private static func encodedWord(in text: Substring) -> ((charset: Substring, encoding: Substring, payload: Substring), String.Index)? {
        let body = text.dropFirst(2)
        guard let firstMark = body.firstIndex(of: "?") else { return nil }
        let charset = body[body.startIndex..<firstMark]
        let afterCharset = body[body.index(after: firstMark)...]
        guard let secondMark = afterCharset.firstIndex(of: "?") else { return nil }
        let encoding = afterCharset[afterCharset.startIndex..<secondMark]
        let afterEncoding = afterCharset[afterCharset.index(after: secondMark)...]
        guard let close = afterEncoding.range(of: "?=") else { return nil }
        let payload = afterEncoding[afterEncoding.startIndex..<close.lowerBound]
        guard !charset.isEmpty, encoding.count == 1, !payload.contains(" "), !charset.contains(" ") else { return nil }
        return ((charset, encoding, payload), close.upperBound)
    }

    private static func decodeWord(
        _ word: (charset: Substring, encoding: Substring, payload: Substring), context: String, warnings: inout [String]
    ) -> String? {
        let bytes = ArraySlice(Array(word.payload.utf8))
        let decoded: (bytes: [UInt8], malformed: Bool)
        switch word.encoding.lowercased() {
        case "b": decoded = TransferEncoding.decodeBase64(bytes)
        case "q": decoded = TransferEncoding.decodeQuotedPrintable(bytes, underscoreIsSpace: true)
        default:
            warnings.append("\(context): encoded word with unknown encoding '\(word.encoding)' left as written")
            return nil
        }
        if decoded.malformed {
            warnings.append("\(context): a malformed encoded word was left as written")
            return nil
        }
        let charset = word.charset.split(separator: "*", maxSplits: 1).first.map(String.init) ?? String(word.charset)
        let (text, warning) = TextCharset.decode(decoded.bytes, charset: charset, context: context)
        if let warning { warnings.append(warning) }
        return text
    }
}
