import Foundation

/// A `Content-Type` (RFC 2045 §5.1) or `Content-Disposition` (RFC 2183 §2) value: the lower-cased
/// main value (`text/plain`, `attachment`) and its `; name=value` parameters, names lower-cased,
/// values as tokens or quoted strings (RFC 5322 §3.2.4: `\x` is `x`). RFC 2231 §3 extended values
/// (`name*=charset'lang'%XX…`) are percent-decoded when their charset is one ``TextCharset`` reads;
/// RFC 5322 comments `(…)` are skipped.
package struct HeaderParameters: Sendable, Equatable {
    package var value: String
    package var parameters: [String: String]

    package init(_ text: String) {
        var scanner = Substring(text)
        value = Self.readUntilSemicolon(&scanner).lowercased()
        parameters = [:]
        while !scanner.isEmpty {
            scanner = scanner.drop { $0 == ";" || $0 == " " || $0 == "\t" }
            guard let equals = scanner.firstIndex(of: "=") else { break }
            var name = scanner[scanner.startIndex..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            scanner = scanner[scanner.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            var parameter: String
            if scanner.first == "\"" {
                parameter = Self.readQuoted(&scanner)
                _ = Self.readUntilSemicolon(&scanner)
            } else {
                parameter = Self.readUntilSemicolon(&scanner)
            }
            if name.hasSuffix("*") {
                name.removeLast()
                parameter = Self.extendedValue(parameter)
            }
            if parameters[name] == nil { parameters[name] = parameter }
        }
    }

    private static func readUntilSemicolon(_ scanner: inout Substring) -> String {
        var out = ""
        var depth = 0
        while let character = scanner.first {
            if depth == 0, character == ";" { break }
            scanner.removeFirst()
            if character == "(" {
                depth += 1
            } else if character == ")", depth > 0 {
                depth -= 1
            } else if depth == 0 {
                out.append(character)
            }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    private static func readQuoted(_ scanner: inout Substring) -> String {
        scanner.removeFirst()
        var out = ""
        while let character = scanner.first {
            scanner.removeFirst()
            if character == "\\", let escaped = scanner.first {
                scanner.removeFirst()
                out.append(escaped)
            } else if character == "\"" {
                break
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// RFC 2231 §4: `charset'language'percent-encoded`.
    private static func extendedValue(_ text: String) -> String {
        let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(pieces[2].utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2, let high = TransferEncoding.hexValue(utf8[utf8.startIndex]),
                let low = TransferEncoding.hexValue(utf8[utf8.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return TextCharset.decode(bytes, charset: pieces[0].isEmpty ? "us-ascii" : String(pieces[0]), context: "parameter").text
    }
}
