import Foundation

extension WeightFile {
    /// The JSON member holding the checksum; excluded from the content it checks.
    public static let checksumKey = "sha256"

    /// The file's JSON tree without the checksum.
    /// - Throws: ``WeightFileError/nonFiniteNumber(key:value:)`` when a double is NaN or infinite.
    public func contentTree() throws -> JSONValue {
        do {
            return try CanonicalJSON.encode(self)
        } catch let CanonicalJSONError.nonFiniteNumber(path, value) {
            throw WeightFileError.nonFiniteNumber(key: path, value: value)
        }
    }

    /// Hex SHA-256 of the canonical form of the content (everything but `sha256`).
    public func checksum() throws -> String {
        Checksum.hash(CanonicalJSON.canonicalBytes(try contentTree())).hex
    }

    /// The bytes of the file on disk: the content plus `sha256`, pretty-printed with sorted keys.
    public func encoded() throws -> Data {
        guard case .object(var members) = try contentTree() else {
            preconditionFailure("a WeightFile always encodes as a JSON object")
        }
        members[Self.checksumKey] = .string(Checksum.hash(CanonicalJSON.canonicalBytes(.object(members))).hex)
        return Data(CanonicalJSON.prettyBytes(.object(members)))
    }

    /// Writes the file atomically (a reader never sees half a model).
    public func write(to url: URL) throws {
        let data = try encoded()
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw WeightFileError.io(file: url.path, detail: error.localizedDescription)
        }
    }

    /// Reads, verifies and decodes a weight file. See ``decode(data:file:)``.
    public static func load(from url: URL) throws -> WeightFile {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw WeightFileError.io(file: url.path, detail: error.localizedDescription)
        }
        return try decode(data: data, file: url.lastPathComponent)
    }

    /// Decodes a weight file's bytes, checking in this order: JSON syntax, the `format` tag and
    /// version (another tag or a newer version is refused before anything else is read), the
    /// `sha256` of the canonical content, the members' shapes, and the consistency of terms and
    /// encodings (``validate(file:)``).
    /// - Parameter file: the name used in error messages.
    public static func decode(data: Data, file: String) throws -> WeightFile {
        let tree: JSONValue
        do {
            tree = try CanonicalJSON.parse([UInt8](data))
        } catch {
            throw WeightFileError.notJSON(file: file, detail: "\(error)")
        }
        guard case .object(var members) = tree else {
            throw WeightFileError.wrongFormat(file: file, found: nil)
        }
        try checkFormat(members["format"], file: file)
        guard case .string(let recorded)? = members.removeValue(forKey: checksumKey) else {
            throw WeightFileError.missingChecksum(file: file)
        }
        let computed = Checksum.hash(CanonicalJSON.canonicalBytes(.object(members))).hex
        guard computed == recorded.lowercased() else {
            throw WeightFileError.checksumMismatch(file: file, recorded: recorded, computed: computed)
        }
        let weights: WeightFile
        do {
            // Foundation's decoder reads the shortest round-trip spellings back bit-exact (tested).
            weights = try JSONDecoder().decode(WeightFile.self, from: data)
        } catch let error as DecodingError {
            throw WeightFileError.invalidContent(file: file, key: error.keyPath, detail: error.summary)
        }
        try weights.validate(file: file)
        return weights
    }

    private static func checkFormat(_ value: JSONValue?, file: String) throws {
        guard case .string(let format)? = value else {
            throw WeightFileError.wrongFormat(file: file, found: nil)
        }
        let parts = format.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == formatTag, let version = Int(parts[1]), version >= 1 else {
            throw WeightFileError.wrongFormat(file: file, found: format)
        }
        guard version <= formatVersion else {
            throw WeightFileError.newerVersion(file: file, found: format)
        }
    }
}

extension DecodingError {
    fileprivate var context: Context? {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context),
            .keyNotFound(_, let context), .dataCorrupted(let context):
            return context
        @unknown default:
            return nil
        }
    }

    fileprivate var keyPath: String {
        var path = context?.codingPath ?? []
        if case .keyNotFound(let key, _) = self { path.append(key) }
        if path.isEmpty { return "the top level" }
        return path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    fileprivate var summary: String {
        switch self {
        case .keyNotFound: return "required member is missing"
        case .typeMismatch(let type, _): return "expected \(type)"
        case .valueNotFound(let type, _): return "expected \(type), found null"
        case .dataCorrupted(let context): return context.debugDescription
        @unknown default: return "\(self)"
        }
    }
}
