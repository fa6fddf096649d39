import Foundation

/// The text of an HTML body, for messages that carry no text/plain alternative: `script` and
/// `style` contents and comments dropped, tags removed, `<br>`, `<p>`, `<div>`, `<li>`, `<tr>` and
/// headings read as line breaks, and the character references of the HTML Standard that mail uses
/// (`&amp; &lt; &gt; &quot; &apos; &nbsp;` and numeric `&#N;` / `&#xH;`) decoded; anything else
/// is kept as written. Not a full HTML parser: enough to read what a person wrote.
package enum HTMLText {
    package static func plainText(_ html: String) -> String {
        var out = ""
        var rest = Substring(html)
        let breaking: Set<String> = [
            "br", "p", "/p", "div", "/div", "li", "tr", "/tr", "h1", "h2", "h3", "/h1", "/h2", "/h3", "blockquote", "/blockquote",
        ]
        while let open = rest.firstIndex(of: "<") {
            out += rest[rest.startIndex..<open]
            let tagText = rest[open...]
            if tagText.hasPrefix("<!--") {
                rest = tagText.range(of: "-->").map { tagText[$0.upperBound...] } ?? ""
                continue
            }
            guard let close = tagText.firstIndex(of: ">") else {
                out += tagText
                rest = ""
                break
            }
            let inside = tagText[tagText.index(after: tagText.startIndex)..<close]
            let closing = inside.first == "/"
            let name = (closing ? "/" : "") + inside.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
            rest = tagText[tagText.index(after: close)...]
            if name == "script" || name == "style" {
                rest = rest.range(of: "</\(name)", options: .caseInsensitive).map { rest[$0.lowerBound...] } ?? ""
                if let end = rest.firstIndex(of: ">") { rest = rest[rest.index(after: end)...] }
                continue
            }
            if breaking.contains(name) { out += "\n" }
        }
        out += rest
        return decodeEntities(out).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
    }

    /// The named and numeric character references listed in the type's documentation.
    package static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "lrm": "\u{200E}", "rlm": "\u{200F}"]
        var out = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            out += rest[rest.startIndex..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            if let semicolon = after.prefix(12).firstIndex(of: ";") {
                let reference = after[after.startIndex..<semicolon]
                var replacement: String?
                if reference.hasPrefix("#x") || reference.hasPrefix("#X") {
                    replacement = UInt32(reference.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if reference.hasPrefix("#") {
                    replacement = UInt32(reference.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    replacement = named[String(reference)]
                }
                if let replacement {
                    out += replacement
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            out += "&"
            rest = after
        }
        return out + rest
    }
}
