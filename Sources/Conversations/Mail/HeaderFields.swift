import Foundation

/// The header section of a message or a MIME part (RFC 5322 §2.2, §3.6): fields in order, each
/// unfolded (§2.2.3: a line break followed by white space is removed), with the line it starts on.
///
/// The header ends at the first empty line. A line that is neither a field (`name:` with printable
/// ASCII other than the colon, §2.2) nor a continuation ends the header there too, as the body's
/// first line, with a warning (Python's `email` records the same case as
/// `MissingHeaderBodySeparatorDefect`).
package struct HeaderFields: Sendable, Equatable {
    package struct Field: Sendable, Equatable {
        /// As written (compare with ``HeaderFields/value(_:)``, which ignores case).
        package var name: String
        /// Unfolded, surrounding white space trimmed, not yet decoded (RFC 2047 is the caller's).
        package var value: String
        /// 1-based line within the entity.
        package var line: Int
    }

    package var fields: [Field]
    /// Where the body starts in the entity's bytes.
    package var bodyStart: Int
    /// The 1-based line on which the body starts.
    package var bodyLine: Int
    /// Set when the header ended on a line that is not a field (see the type's documentation).
    package var missingSeparatorLine: Int?

    /// The first field named `name` (case-insensitive).
    package func value(_ name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every field named `name` (case-insensitive), in order.
    package func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// Reads the header of `bytes`. A header longer than `maximumBytes` is refused: no mail header
    /// needs that much, and it bounds the work on hostile input.
    package static func parse(_ bytes: ArraySlice<UInt8>, maximumBytes: Int = 1 << 20) -> Result<HeaderFields, HeaderProblem> {
        var fields: [Field] = []
        var index = bytes.startIndex
        var line = 1
        var missing: Int?
        while index < bytes.endIndex {
            guard index - bytes.startIndex <= maximumBytes else {
                return .failure(HeaderProblem(line: line, message: "the header is longer than \(maximumBytes) bytes; this is not an e-mail header"))
            }
            let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            var contentEnd = end
            if contentEnd > index, bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            let content = bytes[index..<contentEnd]
            let next = end < bytes.endIndex ? end + 1 : end
            if content.isEmpty {
                return .success(HeaderFields(fields: fields, bodyStart: next, bodyLine: line + 1, missingSeparatorLine: nil))
            }
            if let first = content.first, first == 0x20 || first == 0x09, !fields.isEmpty {
                fields[fields.count - 1].value += " " + headerText(content).trimmingCharacters(in: .whitespaces)
            } else if let colon = content.firstIndex(of: UInt8(ascii: ":")), colon > content.startIndex,
                content[content.startIndex..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
            {
                let name = String(decoding: content[content.startIndex..<colon], as: UTF8.self)
                let value = headerText(content[(colon + 1)...]).trimmingCharacters(in: .whitespaces)
                fields.append(Field(name: name, value: value, line: line))
            } else if fields.isEmpty, line == 1 {
                return .failure(HeaderProblem(line: 1, message: "line 1 is not a header field ('Name: value'); this is not an RFC 5322 message"))
            } else {
                missing = line
                return .success(HeaderFields(fields: fields, bodyStart: index, bodyLine: line, missingSeparatorLine: missing))
            }
            index = next
            line += 1
        }
        return .success(HeaderFields(fields: fields, bodyStart: bytes.endIndex, bodyLine: line, missingSeparatorLine: missing))
    }

    /// Header bytes as text: UTF-8 when valid (RFC 6532 allows it), else windows-1252.
    static func headerText(_ bytes: ArraySlice<UInt8>) -> String {
        String(validating: bytes, as: UTF8.self) ?? TextCharset.windows1252.decode(bytes).text
    }
}

/// A header that cannot be read, with its 1-based line within the entity.
package struct HeaderProblem: Error, Sendable, Equatable {
    package var line: Int
    package var message: String
}
