extension CanonicalJSON {
    /// Encodes any `Encodable` into a ``JSONValue`` tree.
    ///
    /// Integers stay `.integer`, `Double`/`Float` become `.double`; a NaN or infinity throws
    /// ``CanonicalJSONError/nonFiniteNumber(path:value:)`` naming the key path. `nil` optionals
    /// written with `encodeIfPresent` (the synthesized default) are left out.
    public static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = TreeNode()
        try value.encode(to: TreeEncoder(node: root, codingPath: []))
        return try root.value(path: [])
    }
}

/// A mutable slot in the tree being built; containers hand out child slots and fill them later.
private final class TreeNode {
    enum Content {
        case empty
        case leaf(JSONValue)
        case object([String: TreeNode])
        case array([TreeNode])
    }
    var content: Content = .empty

    func value(path: [CodingKey]) throws -> JSONValue {
        switch content {
        case .empty: return .object([:])  // an Encodable that wrote nothing, like an empty struct
        case .leaf(let value): return value
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, node) in members { out[key] = try node.value(path: path) }
            return .object(out)
        case .array(let items): return .array(try items.map { try $0.value(path: path) })
        }
    }
}

private func pathString(_ path: [CodingKey]) -> String {
    if path.isEmpty { return "the top level" }
    return path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
}

private func double(_ number: Double, at path: [CodingKey]) throws -> JSONValue {
    guard number.isFinite else {
        throw CanonicalJSONError.nonFiniteNumber(path: pathString(path), value: number.description)
    }
    return .double(number)
}

private struct TreeEncoder: Encoder {
    let node: TreeNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.content {} else { node.content = .object([:]) }
        return KeyedEncodingContainer(KeyedTreeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if case .array = node.content {} else { node.content = .array([]) }
        return UnkeyedTreeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer {
        SingleTreeContainer(node: node, codingPath: codingPath)
    }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct KeyedTreeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: TreeNode
    let codingPath: [CodingKey]

    private func child(_ key: Key) -> TreeNode {
        let child = TreeNode()
        if case .object(var members) = node.content {
            members[key.stringValue] = child
            node.content = .object(members)
        }
        return child
    }

    private func put(_ value: JSONValue, _ key: Key) { child(key).content = .leaf(value) }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(try double(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(try double(Double(value), at: codingPath + [key]), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encode(try checked(value, key), forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.integer(try checked(value, key)), key) }

    private func checked<U: BinaryInteger>(_ value: U, _ key: Key) throws -> Int64 {
        guard let exact = Int64(exactly: value) else {
            throw CanonicalJSONError.unsupported(path: pathString(codingPath + [key]), detail: "\(value) does not fit in Int64")
        }
        return exact
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try value.encode(to: TreeEncoder(node: child(key), codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        TreeEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
        TreeEncoder(node: node, codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        TreeEncoder(node: child(key), codingPath: codingPath + [key])
    }
}

private struct UnkeyedTreeContainer: UnkeyedEncodingContainer {
    let node: TreeNode
    let codingPath: [CodingKey]
    var count: Int {
        if case .array(let items) = node.content { return items.count }
        return 0
    }

    private func child() -> (TreeNode, [CodingKey]) {
        let child = TreeNode()
        var index = 0
        if case .array(var items) = node.content {
            index = items.count
            items.append(child)
            node.content = .array(items)
        }
        return (child, codingPath + [IndexKey(index)])
    }

    mutating func encodeNil() throws { child().0.content = .leaf(.null) }
    mutating func encode(_ value: Bool) throws { child().0.content = .leaf(.bool(value)) }
    mutating func encode(_ value: String) throws { child().0.content = .leaf(.string(value)) }
    mutating func encode(_ value: Double) throws {
        let (node, path) = child()
        node.content = .leaf(try double(value, at: path))
    }
    mutating func encode(_ value: Int) throws { child().0.content = .leaf(.integer(Int64(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let (node, path) = child()
        try value.encode(to: TreeEncoder(node: node, codingPath: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let (node, path) = child()
        return TreeEncoder(node: node, codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let (node, path) = child()
        return TreeEncoder(node: node, codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
        let (node, path) = child()
        return TreeEncoder(node: node, codingPath: path)
    }
}

private struct SingleTreeContainer: SingleValueEncodingContainer {
    let node: TreeNode
    let codingPath: [CodingKey]

    mutating func encodeNil() throws { node.content = .leaf(.null) }
    mutating func encode(_ value: Bool) throws { node.content = .leaf(.bool(value)) }
    mutating func encode(_ value: String) throws { node.content = .leaf(.string(value)) }
    mutating func encode(_ value: Double) throws { node.content = .leaf(try double(value, at: codingPath)) }
    mutating func encode(_ value: Float) throws { node.content = .leaf(try double(Double(value), at: codingPath)) }
    mutating func encode(_ value: Int) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { node.content = .leaf(.integer(value)) }
    mutating func encode(_ value: UInt8) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: UInt) throws { try encode(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws {
        guard let exact = Int64(exactly: value) else {
            throw CanonicalJSONError.unsupported(path: pathString(codingPath), detail: "\(value) does not fit in Int64")
        }
        node.content = .leaf(.integer(exact))
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: TreeEncoder(node: node, codingPath: codingPath))
    }
}
