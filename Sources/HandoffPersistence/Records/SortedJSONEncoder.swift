import Foundation

/// Encodes a value as the store's JSON text, byte for byte what Foundation's `JSONEncoder`
/// writes with `outputFormatting = [.sortedKeys, .withoutEscapingSlashes]` and
/// `dateEncodingStrategy = .millisecondsSince1970` (``JSONText/init(encoding:)``), without its
/// cost.
///
/// The rules, from swift-foundation's `JSONWriter.swift` and `JSONEncoder.swift`
/// (github.com/swiftlang/swift-foundation, Sources/FoundationEssentials/JSON): no whitespace;
/// object keys sorted by their UTF-8 bytes (`key.utf8.lexicographicallyPrecedes`); strings with
/// `"` and `\` escaped, U+0008, U+000C, U+000A, U+000D, U+0009 as `\b \f \n \r \t`, the other
/// control characters below U+0020 as `\u00xx` in lower-case hex, everything else (`/`, DEL,
/// non-ASCII) as its UTF-8 bytes; integers as `description`; floating-point numbers as
/// `description` without a trailing `.0` (`1e-07`, `1e+16`, `-0`); a date as 1000 ×
/// `timeIntervalSince1970` written as a number; a nested value that encodes nothing as `{}`.
///
/// Why: the service encodes several values per event (the event, the lead's fields, a score's
/// reasons, a decision's evidence, the flow state), and `JSONEncoder`, which builds a tree of
/// enums with a dictionary per object and sorts through it, was a tenth of an event's CPU.
///
/// It covers what the store encodes: keyed, unkeyed and single-value containers of strings,
/// booleans, integers, floating-point numbers, nil, dates and nested values. Anything else makes
/// ``encode(_:)`` return nil, and the caller uses `JSONEncoder`, so the text (or the error) is
/// `JSONEncoder`'s in every case: `Data`, `URL`, `Decimal`, a super-encoder, a key written twice
/// in one object, a container asked for over a value already written, a non-finite number, an
/// error thrown by the value's own `encode(to:)`, nesting deeper than 500 levels, or a top-level
/// value that encodes nothing. `SortedJSONEncoderTests` check the equality against `JSONEncoder`
/// on random values and on the store's own records.
package enum SortedJSONEncoder {
    /// The JSON text's UTF-8 bytes, or nil when `JSONEncoder` should encode `value` instead.
    package static func encode<T: Encodable>(_ value: T) -> [UInt8]? {
        let context = EncodingContext()
        let root: JSONNode
        do {
            root = try TreeEncoder(context: context, parent: nil, key: nil).box(value, key: nil)
        } catch {
            return nil
        }
        guard !context.declined, !root.isUnset else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(256)
        do {
            try write(root, into: &out, depth: 0)
        } catch {
            return nil
        }
        return out
    }

    // MARK: Writing

    /// Deeper than this, `JSONEncoder`'s writer (512 levels) decides.
    private static let maximumDepth = 500

    private static func write(_ node: JSONNode, into out: inout [UInt8], depth: Int) throws(Declined) {
        switch node {
        case .unset:
            // A nested value that asked for nothing: JSONEncoder writes an empty object.
            out.append(UInt8(ascii: "{"))
            out.append(UInt8(ascii: "}"))
        case .string(let text):
            writeString(text, into: &out)
        case .number(let text):
            out.append(contentsOf: text.utf8)
        case .literal(let text):
            out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        case .array(let box):
            guard depth < maximumDepth else { throw Declined() }
            out.append(UInt8(ascii: "["))
            for (index, element) in box.elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try write(element, into: &out, depth: depth + 1)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let box):
            guard depth < maximumDepth else { throw Declined() }
            out.append(UInt8(ascii: "{"))
            for (position, index) in try box.sortedOrder().enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                writeString(box.keys[index], into: &out)
                out.append(UInt8(ascii: ":"))
                try write(box.values[index], into: &out, depth: depth + 1)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `text` quoted and escaped as `JSONWriter.serializeString` does without escaping slashes.
    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() {
                let escape: (UInt8, Bool)  // the letter after `\`, or the byte itself for `\u00xx`
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): escape = (byte, false)
                case 0x08: escape = (UInt8(ascii: "b"), false)
                case 0x0C: escape = (UInt8(ascii: "f"), false)
                case 0x0A: escape = (UInt8(ascii: "n"), false)
                case 0x0D: escape = (UInt8(ascii: "r"), false)
                case 0x09: escape = (UInt8(ascii: "t"), false)
                case 0x00..<0x20: escape = (byte, true)
                default: continue
                }
                if index > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                out.append(UInt8(ascii: "\\"))
                if escape.1 {
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 0x0F))
                } else {
                    out.append(escape.0)
                }
                start = index + 1
            }
            if bytes.count > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// A floating-point number as `JSONEncoder` writes it; nil for NaN and the infinities (which
    /// it refuses, with its own error).
    static func number<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) -> String? {
        guard value.isFinite else { return nil }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}

/// The fast path does not cover this value; `JSONEncoder` encodes it.
private struct Declined: Error {}

/// State shared by a value's encoders: set when a container call that cannot throw meets
/// something the fast path does not cover.
///
/// Every decline is recorded here as well as thrown: a value whose `encode(to:)` catches the
/// error (`try?`) and writes something else instead must not leave a text that differs from
/// what `JSONEncoder` (which may have encoded the value) would write.
private final class EncodingContext {
    var declined = false

    /// Records the decline; the error to throw.
    func decline() -> Declined {
        declined = true
        return Declined()
    }
}

/// A value as encoded, before the keys are sorted and the text is written.
private enum JSONNode {
    /// Nothing encoded (yet).
    case unset
    case string(String)
    /// A number, already spelled as JSON.
    case number(String)
    /// `true`, `false` or `null`.
    case literal(StaticString)
    case object(ObjectBox)
    case array(ArrayBox)

    var isUnset: Bool {
        if case .unset = self { return true }
        return false
    }
}

/// An object's members in the order they were encoded.
private final class ObjectBox {
    var keys: [String] = []
    var values: [JSONNode] = []

    func insert(_ value: JSONNode, for key: String) {
        keys.append(key)
        values.append(value)
    }

    /// The members' positions, keys in UTF-8 order; declines a key written twice (which
    /// `JSONEncoder` would keep once, in a dictionary that also merges canonically equivalent
    /// spellings).
    func sortedOrder() throws(Declined) -> [Int] {
        guard keys.count > 1 else { return Array(keys.indices) }
        let order = keys.indices.sorted { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) }
        var nonASCII = false
        for position in order.indices {
            let key = keys[order[position]]
            if position > 0, key.utf8.elementsEqual(keys[order[position - 1]].utf8) { throw Declined() }
            if !nonASCII, key.utf8.contains(where: { $0 >= 0x80 }) { nonASCII = true }
        }
        if nonASCII, Set(keys).count != keys.count { throw Declined() }
        return order
    }
}

private final class ArrayBox {
    var elements: [JSONNode] = []
}

/// One level of the value being encoded: the node it writes, and its place for `codingPath`.
private final class TreeEncoder: Encoder {
    let context: EncodingContext
    let parent: TreeEncoder?
    let key: (any CodingKey)?
    var node: JSONNode = .unset

    init(context: EncodingContext, parent: TreeEncoder?, key: (any CodingKey)?) {
        self.context = context
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var level: TreeEncoder? = self
        while let current = level {
            if let key = current.key { path.append(key) }
            level = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        switch node {
        case .object(let existing): box = existing
        case .unset:
            box = ObjectBox()
            node = .object(box)
        default:
            context.declined = true
            box = ObjectBox()
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self, box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: ArrayBox
        switch node {
        case .array(let existing): box = existing
        case .unset:
            box = ArrayBox()
            node = .array(box)
        default:
            context.declined = true
            box = ArrayBox()
        }
        return UnkeyedContainer(encoder: self, box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueContainer(encoder: self) }

    /// A child encoder one key (or index) below this one.
    func child(_ key: (any CodingKey)?) -> TreeEncoder { TreeEncoder(context: context, parent: self, key: key) }

    /// `value` as a node one `key` below this level (or at it, for nil), with `JSONEncoder`'s
    /// special cases: dates as milliseconds, and the types it writes its own way declined.
    func box<T: Encodable>(_ value: T, key: (any CodingKey)?) throws -> JSONNode {
        // Exact type checks (a pointer comparison) before the casts, which are then certain.
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if T.self == Date.self {
            let date = unsafeBitCast(value, to: Date.self)
            guard let text = SortedJSONEncoder.number(1000.0 * date.timeIntervalSince1970) else { throw context.decline() }
            return .number(text)
        }
        if T.self == Data.self || T.self == URL.self || T.self == Decimal.self { throw context.decline() }
        let encoder = child(key)
        try value.encode(to: encoder)
        return encoder.node
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TreeEncoder
    let box: ObjectBox

    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws { box.insert(.literal("null"), for: key.stringValue) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.insert(.literal(value ? "true" : "false"), for: key.stringValue) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.insert(.string(value), for: key.stringValue) }
    mutating func encode(_ value: Double, forKey key: Key) throws { box.insert(try floating(value, encoder.context), for: key.stringValue) }
    mutating func encode(_ value: Float, forKey key: Key) throws { box.insert(try floating(value, encoder.context), for: key.stringValue) }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: Int128, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { box.insert(.number(value.description), for: key.stringValue) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.insert(try encoder.box(value, key: key), for: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        box.insert(.object(nested), for: key.stringValue)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder.child(key), box: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        box.insert(.array(nested), for: key.stringValue)
        return UnkeyedContainer(encoder: encoder.child(key), box: nested)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.context.declined = true
        return encoder.child(nil)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.context.declined = true
        return encoder.child(key)
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: TreeEncoder
    let box: ArrayBox

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { box.elements.count }

    /// The key `JSONEncoder` puts in the coding path for the next element.
    private var nextKey: IndexKey { IndexKey(intValue: box.elements.count) }

    mutating func encodeNil() throws { box.elements.append(.literal("null")) }
    mutating func encode(_ value: Bool) throws { box.elements.append(.literal(value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { box.elements.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.elements.append(try floating(value, encoder.context)) }
    mutating func encode(_ value: Float) throws { box.elements.append(try floating(value, encoder.context)) }
    mutating func encode(_ value: Int) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: Int8) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: Int16) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: Int32) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: Int64) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: UInt) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: UInt8) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: UInt16) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: UInt32) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: UInt64) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: Int128) throws { box.elements.append(.number(value.description)) }
    mutating func encode(_ value: UInt128) throws { box.elements.append(.number(value.description)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.elements.append(try encoder.box(value, key: nextKey))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        let child = encoder.child(nextKey)
        box.elements.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: child, box: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        let child = encoder.child(nextKey)
        box.elements.append(.array(nested))
        return UnkeyedContainer(encoder: child, box: nested)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.context.declined = true
        return encoder.child(nextKey)
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    /// Sets the encoder's value; a second value is declined (`JSONEncoder` stops the process).
    private func set(_ node: JSONNode) throws {
        guard encoder.node.isUnset else { throw encoder.context.decline() }
        encoder.node = node
    }

    mutating func encodeNil() throws { try set(.literal("null")) }
    mutating func encode(_ value: Bool) throws { try set(.literal(value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { try set(.string(value)) }
    mutating func encode(_ value: Double) throws { try set(try floating(value, encoder.context)) }
    mutating func encode(_ value: Float) throws { try set(try floating(value, encoder.context)) }
    mutating func encode(_ value: Int) throws { try set(.number(value.description)) }
    mutating func encode(_ value: Int8) throws { try set(.number(value.description)) }
    mutating func encode(_ value: Int16) throws { try set(.number(value.description)) }
    mutating func encode(_ value: Int32) throws { try set(.number(value.description)) }
    mutating func encode(_ value: Int64) throws { try set(.number(value.description)) }
    mutating func encode(_ value: UInt) throws { try set(.number(value.description)) }
    mutating func encode(_ value: UInt8) throws { try set(.number(value.description)) }
    mutating func encode(_ value: UInt16) throws { try set(.number(value.description)) }
    mutating func encode(_ value: UInt32) throws { try set(.number(value.description)) }
    mutating func encode(_ value: UInt64) throws { try set(.number(value.description)) }
    mutating func encode(_ value: Int128) throws { try set(.number(value.description)) }
    mutating func encode(_ value: UInt128) throws { try set(.number(value.description)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        guard encoder.node.isUnset else { throw encoder.context.decline() }
        // The value is encoded at this encoder's own level (no key is added to the path).
        let node = try encoder.box(value, key: nil)
        encoder.node = node
    }
}

/// An unkeyed container's element index as a coding key.
private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// A finite floating-point number as a node; NaN and the infinities are declined.
private func floating<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F, _ context: EncodingContext) throws -> JSONNode {
    guard let text = SortedJSONEncoder.number(value) else { throw context.decline() }
    return .number(text)
}
