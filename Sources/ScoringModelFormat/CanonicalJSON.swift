/// A JSON document as a value, the form the weight file is checksummed and written in.
///
/// Numbers keep their Swift type: integers stay integers, doubles are written with Swift's
/// shortest round-trip spelling (`Double.description`), so every double reads back bit-exact.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object, nil for anything else.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}

/// Why a value could not be written as, or read from, JSON.
public enum CanonicalJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A NaN or infinite double at the given key path; JSON has no spelling for it.
    case nonFiniteNumber(path: String, value: String)
    /// The text is not JSON; `offset` is the byte position of the problem.
    case syntax(offset: Int, detail: String)
    /// The encoder was used in a way a JSON tree cannot hold (for example two containers for one value).
    case unsupported(path: String, detail: String)

    public var description: String {
        switch self {
        case .nonFiniteNumber(let path, let value):
            return
                "cannot write \(value) at \(path) as JSON (only finite numbers exist in JSON); fix the computation that produced it or leave the field out"
        case .syntax(let offset, let detail):
            return "not valid JSON at byte \(offset): \(detail)"
        case .unsupported(let path, let detail):
            return "cannot encode \(path) as JSON: \(detail)"
        }
    }
}

/// The two spellings of a ``JSONValue``: canonical (for checksums) and pretty (for the file on disk).
public enum CanonicalJSON {
    /// Canonical bytes: object keys sorted by their UTF-8 bytes, no insignificant whitespace,
    /// strings as UTF-8 with only `"`, `\` and control characters escaped.
    public static func canonicalBytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out, indent: nil, depth: 0)
        return out
    }

    /// The same content and key order as ``canonicalBytes(_:)``, indented by two spaces per level,
    /// `": "` after keys, and a final newline.
    public static func prettyBytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out, indent: 2, depth: 0)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// Keys in UTF-8 byte order (not Swift's `String` order, which is by Unicode scalars and
    /// would agree for valid UTF-8 anyway, but byte order is what other tools can reproduce).
    static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int?, depth: Int) {
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let flag): out.append(contentsOf: Array((flag ? "true" : "false").utf8))
        case .integer(let number): out.append(contentsOf: Array(String(number).utf8))
        case .double(let number):
            // Encoding refuses non-finite doubles; a hand-built tree that holds one is a programmer mistake.
            precondition(number.isFinite, "JSONValue.double must be finite")
            out.append(contentsOf: Array(number.description.utf8))
        case .string(let text): writeString(text, into: &out)
        case .array(let items):
            if items.isEmpty {
                out.append(contentsOf: Array("[]".utf8))
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(into: &out, indent: indent, depth: depth + 1)
                write(item, into: &out, indent: indent, depth: depth + 1)
            }
            newline(into: &out, indent: indent, depth: depth)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                out.append(contentsOf: Array("{}".utf8))
                return
            }
            out.append(UInt8(ascii: "{"))
            for (index, key) in sortedKeys(members).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(into: &out, indent: indent, depth: depth + 1)
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                // Keys come from the dictionary itself, so the lookup cannot fail.
                write(members[key] ?? .null, into: &out, indent: indent, depth: depth + 1)
            }
            newline(into: &out, indent: indent, depth: depth)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(into out: inout [UInt8], indent: Int?, depth: Int) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
    }

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0a: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0d: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0f)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A tree encodes as the JSON it holds, so any `Encoder` can embed stored JSON as it is.
extension JSONValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case let .bool(value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case let .integer(value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case let .double(value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case let .string(value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case let .array(items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case let .object(members):
            var container = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in members { try container.encode(value, forKey: MemberKey(key)) }
        }
    }

    private struct MemberKey: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
