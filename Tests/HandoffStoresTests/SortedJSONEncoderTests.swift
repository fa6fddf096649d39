import Foundation
import HandoffPersistence
import TestSupport
import Testing

/// ``SortedJSONEncoder`` against Foundation's `JSONEncoder` with the store's settings (the
/// independent reference, and what the store wrote before): the same bytes for every value the
/// fast path takes, nil for what it leaves to `JSONEncoder`, and ``JSONText/init(encoding:)``
/// equal to `JSONEncoder` (text or error) either way.
@Suite struct SortedJSONEncoderTests {
    private static func reference<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return Array(try encoder.encode(value))
    }

    @Test func randomValuesEncodeAsJSONEncoderEncodesThem() throws {
        var rng = SplitMix64(seed: 8259)
        var (accepted, covered) = (0, 0)
        for round in 0..<3000 {
            let value = EncodableSample.random(&rng, depth: 0)
            guard let expected = try? Self.reference(value) else {
                // JSONEncoder refuses it (a top-level value that encodes nothing): so does the fast path.
                #expect(SortedJSONEncoder.encode(value) == nil, "round \(round)")
                continue
            }
            accepted += 1
            let fast = SortedJSONEncoder.encode(value)
            let text = { (bytes: [UInt8]?) in String(decoding: bytes ?? [], as: UTF8.self) }
            #expect(fast == expected, "round \(round): \(text(fast)) != \(text(expected))")
            if fast != nil { covered += 1 }
        }
        // The generator makes nothing the fast path declines: it took every value JSONEncoder took.
        #expect(covered == accepted)
        #expect(accepted > 2500)
    }

    /// Numbers where `description` changes form: exponents, signed zero, the extremes, integral
    /// values (written without `.0`), dates before 1970 and with sub-millisecond parts.
    @Test func numbersAtTheEdgesOfTheirSpelling() throws {
        var doubles: [Double] = [
            0, -0.0, 1, -1, 0.1, 1e-7, 1e-6, 1e15, 1e16, 1e17, 123456789012345678, 2.5e-308, 4.9e-324,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude, .ulpOfOne, 1 / 3, 9007199254740993,
        ]
        var rng = SplitMix64(seed: 754)
        for _ in 0..<2000 {
            let bits = Double(bitPattern: rng.next())
            if bits.isFinite { doubles.append(bits) }
        }
        for value in doubles {
            #expect(SortedJSONEncoder.encode(value) == (try Self.reference(value)), "\(value)")
            #expect(SortedJSONEncoder.encode(["x": value]) == (try Self.reference(["x": value])), "\(value)")
            let float = Float(value)
            if float.isFinite { #expect(SortedJSONEncoder.encode([float]) == (try Self.reference([float])), "\(float)") }
            let date = Date(timeIntervalSince1970: value.truncatingRemainder(dividingBy: 1e11))
            #expect(SortedJSONEncoder.encode(["at": date]) == (try Self.reference(["at": date])), "\(date.timeIntervalSince1970)")
        }
        let wide: [String: Int128] = ["max": .max, "min": .min, "zero": 0]
        #expect(SortedJSONEncoder.encode(wide) == (try Self.reference(wide)))
        #expect(SortedJSONEncoder.encode([UInt128.max]) == (try Self.reference([UInt128.max])))
        let integers: [Int64] = [0, 1, -1, .max, .min]
        #expect(SortedJSONEncoder.encode(integers) == (try Self.reference(integers)))
        #expect(SortedJSONEncoder.encode([UInt64.max, 0]) == (try Self.reference([UInt64.max, 0])))
    }

    /// Every byte JSON escapes, and the ones it must not (`/`, DEL, non-ASCII), in values and keys.
    @Test func stringsAndKeysEscapeAsJSONEncoderEscapesThem() throws {
        let every = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self) + "/é€😀\u{2028}\u{0301}"
        #expect(SortedJSONEncoder.encode([every: every]) == (try Self.reference([every: every])))
        #expect(SortedJSONEncoder.encode(every) == (try Self.reference(every)))
        // Keys whose UTF-8 order differs from their UTF-16 or scalar-by-scalar string order.
        let keys = ["b", "B", "a", "", "é", "e\u{0301}x", "😀", "\u{FFFF}", "aa", "a\u{0}", "Z", "~"]
        let object = Dictionary(uniqueKeysWithValues: keys.map { ($0, 1) })
        #expect(SortedJSONEncoder.encode(object) == (try Self.reference(object)))
    }

    /// What the fast path leaves to `JSONEncoder`, and ``JSONText/init(encoding:)`` still gives
    /// `JSONEncoder`'s text or its error.
    @Test func whatItDeclinesJSONEncoderStillEncodes() throws {
        struct Twice: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: EncodableSample.Key.self)
                try container.encode(1, forKey: EncodableSample.Key("k"))
                try container.encode(2, forKey: EncodableSample.Key("k"))
            }
        }
        struct Super: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: EncodableSample.Key.self)
                try container.encode(1, forKey: EncodableSample.Key("a"))
                try 2.encode(to: container.superEncoder())
            }
        }
        struct Nothing: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }
        /// Catches the error of a value the fast path declines and writes something else.
        struct Swallows: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: EncodableSample.Key.self)
                if (try? container.encode(Data([1, 2]), forKey: EncodableSample.Key("data"))) == nil {
                    try container.encode("no data", forKey: EncodableSample.Key("data"))
                }
            }
        }
        #expect(SortedJSONEncoder.encode(Swallows()) == nil)
        #expect(try JSONText(encoding: Swallows()).text.utf8.elementsEqual(try Self.reference(Swallows())))
        let data = ["payload": Data([0, 1, 2, 255])]
        let url = ["url": URL(string: "https://example.com/a?b=c")!]
        let decimal = ["amount": Decimal(string: "12500.10")!]
        #expect(SortedJSONEncoder.encode(data) == nil)
        #expect(SortedJSONEncoder.encode(url) == nil)
        #expect(SortedJSONEncoder.encode(decimal) == nil)
        #expect(SortedJSONEncoder.encode(Twice()) == nil)
        #expect(SortedJSONEncoder.encode(Super()) == nil)
        #expect(SortedJSONEncoder.encode(Nothing()) == nil)
        #expect(SortedJSONEncoder.encode(["x": Double.nan]) == nil)
        #expect(SortedJSONEncoder.encode([Float.infinity]) == nil)
        // Canonically equivalent keys are one key to JSONEncoder's dictionary.
        #expect(SortedJSONEncoder.encode(CanonicalTwins()) == nil)

        #expect(try JSONText(encoding: data).text.utf8.elementsEqual(try Self.reference(data)))
        #expect(try JSONText(encoding: url).text.utf8.elementsEqual(try Self.reference(url)))
        #expect(try JSONText(encoding: decimal).text.utf8.elementsEqual(try Self.reference(decimal)))
        #expect(try JSONText(encoding: Twice()).text.utf8.elementsEqual(try Self.reference(Twice())))
        #expect(throws: StoreError.self) { try JSONText(encoding: ["x": Double.nan]) }
        #expect(throws: StoreError.self) { try JSONText(encoding: Nothing()) }
        // A nested value that encodes nothing is an empty object, in both.
        #expect(SortedJSONEncoder.encode(["n": Nothing()]) == (try Self.reference(["n": Nothing()])))
    }

    /// Nesting deeper than the fast path writes is left to `JSONEncoder`, which refuses it past 512.
    @Test func deepNestingIsLeftToJSONEncoder() throws {
        var shallow = EncodableSample.int(1)
        for _ in 0..<100 { shallow = .array([shallow]) }
        #expect(SortedJSONEncoder.encode(shallow) == (try Self.reference(shallow)))
        var deep = EncodableSample.int(1)
        for _ in 0..<600 { deep = .array([deep]) }
        #expect(SortedJSONEncoder.encode(deep) == nil)
        #expect(throws: StoreError.self) { try JSONText(encoding: deep) }
    }

    /// Two keys that Swift's `String` equality merges (é precomposed and decomposed).
    private struct CanonicalTwins: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: EncodableSample.Key.self)
            try container.encode(1, forKey: EncodableSample.Key("\u{E9}"))
            try container.encode(2, forKey: EncodableSample.Key("e\u{0301}"))
        }
    }
}

/// A random value that exercises every container call the fast path implements: typed and
/// generic encodes in keyed, unkeyed and single-value containers, nested containers, optionals,
/// dates, dictionaries, arrays of numbers and values that encode nothing.
private indirect enum EncodableSample: Encodable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case int8(Int8)
    case uint16(UInt16)
    case int32(Int32)
    case uint64(UInt64)
    case double(Double)
    case float(Float)
    case date(Date)
    case null
    case optional(EncodableSample?)
    case object([(String, EncodableSample)])
    case array([EncodableSample])
    case nested([(String, [(String, EncodableSample)])])
    case nestedArrays([[EncodableSample]])
    case dictionary([String: EncodableSample])
    case doubles([Double])
    case strings([String])
    case nothing

    struct Key: CodingKey {
        let stringValue: String
        init(_ text: String) { stringValue = text }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    static func random(_ rng: inout SplitMix64, depth: Int) -> EncodableSample {
        let leafOnly = depth >= 4
        switch rng.next() % (leafOnly ? 12 : 20) {
        case 0: return .string(randomText(&rng))
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .int(Int(bitPattern: UInt(rng.next())) >> Int(rng.next() % 64))
        case 3: return .int8(Int8(truncatingIfNeeded: rng.next()))
        case 4: return .uint16(UInt16(truncatingIfNeeded: rng.next()))
        case 5: return .int32(Int32(truncatingIfNeeded: rng.next()))
        case 6: return .uint64(rng.next() >> (rng.next() % 64))
        case 7: return .double(randomDouble(&rng))
        case 8: return .float(Float(randomDouble(&rng) / 1e280))
        case 9: return .date(Date(timeIntervalSince1970: Double(Int64(bitPattern: rng.next()) % 4_000_000_000_000) / 1000 + randomFraction(&rng)))
        case 10: return .null
        case 11: return .optional(rng.next() % 2 == 0 ? nil : .string(randomText(&rng)))
        case 12, 13: return .object(members(&rng, depth: depth))
        case 14: return .array((0..<Int(rng.next() % 5)).map { _ in random(&rng, depth: depth + 1) })
        case 15: return .nested((0..<Int(rng.next() % 3)).map { _ in (randomKey(&rng), members(&rng, depth: depth + 1)) }.uniqued())
        case 16: return .nestedArrays((0..<Int(rng.next() % 3)).map { _ in (0..<Int(rng.next() % 3)).map { _ in random(&rng, depth: depth + 2) } })
        case 17: return .dictionary(Dictionary(members(&rng, depth: depth), uniquingKeysWith: { first, _ in first }))
        case 18: return rng.next() % 2 == 0 ? .doubles((0..<Int(rng.next() % 4)).map { _ in randomDouble(&rng) }) : .strings([randomText(&rng)])
        default: return .nothing
        }
    }

    private static func members(_ rng: inout SplitMix64, depth: Int) -> [(String, EncodableSample)] {
        (0..<Int(rng.next() % 6)).map { _ in (randomKey(&rng), random(&rng, depth: depth + 1)) }.uniqued()
    }

    private static func randomKey(_ rng: inout SplitMix64) -> String {
        rng.next() % 3 == 0 ? randomText(&rng) : ["id", "lead_id", "b", "a", "A", "_x", "z1", "z10", "z2", "é"][Int(rng.next() % 10)]
    }

    private static func randomText(_ rng: inout SplitMix64) -> String {
        let pool: [Unicode.Scalar] =
            ["a", "Z", "0", " ", "\"", "\\", "/", ":", "é", "€", "語", "\u{7F}", "\u{2028}", "😀", "\u{10FFFF}"]
            + (0..<0x20).map { Unicode.Scalar(UInt8($0)) }
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int(rng.next() % 10) { scalars.append(pool[Int(rng.next() % UInt64(pool.count))]) }
        return String(scalars)
    }

    private static func randomFraction(_ rng: inout SplitMix64) -> Double { Double(rng.next() % 1_000_000) / 1e9 }

    private static func randomDouble(_ rng: inout SplitMix64) -> Double {
        switch rng.next() % 4 {
        case 0: return Double(Int64(bitPattern: rng.next()) % 100_000)
        case 1: return Double(Int64(bitPattern: rng.next()) % 1_000_000) / 1000
        case 2:
            let value = Double(bitPattern: rng.next())
            return value.isFinite ? value : 0.5
        default: return Double(rng.next() % 1000) * pow(10, Double(Int(rng.next() % 40) - 20))
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int8(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .uint16(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int32(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .uint64(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .float(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .date(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .optional(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in members { try Self.encode(value, in: &container, key: Key(key)) }
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try Self.encode(element, in: &container) }
        case .nested(let objects):
            var container = encoder.container(keyedBy: Key.self)
            for (key, members) in objects {
                var inner = container.nestedContainer(keyedBy: Key.self, forKey: Key(key))
                for (innerKey, value) in members { try Self.encode(value, in: &inner, key: Key(innerKey)) }
            }
        case .nestedArrays(let arrays):
            var container = encoder.unkeyedContainer()
            for array in arrays {
                var inner = container.nestedUnkeyedContainer()
                for element in array { try Self.encode(element, in: &inner) }
            }
            if let first = arrays.first {
                var keyed = container.nestedContainer(keyedBy: Key.self)
                try keyed.encodeIfPresent(first.first, forKey: Key("first"))
                try keyed.encodeIfPresent(nil as EncodableSample?, forKey: Key("absent"))
            }
        case .dictionary(let members): try members.encode(to: encoder)
        case .doubles(let values): try values.encode(to: encoder)
        case .strings(let values): try values.encode(to: encoder)
        case .nothing: break
        }
    }

    /// Scalars through the container's typed calls, everything else through the generic one.
    private static func encode(_ value: EncodableSample, in container: inout KeyedEncodingContainer<Key>, key: Key) throws {
        switch value {
        case .string(let text): try container.encode(text, forKey: key)
        case .bool(let flag): try container.encode(flag, forKey: key)
        case .int(let number): try container.encode(number, forKey: key)
        case .int8(let number): try container.encode(number, forKey: key)
        case .uint16(let number): try container.encode(number, forKey: key)
        case .int32(let number): try container.encode(number, forKey: key)
        case .uint64(let number): try container.encode(number, forKey: key)
        case .double(let number): try container.encode(number, forKey: key)
        case .float(let number): try container.encode(number, forKey: key)
        case .date(let date): try container.encode(date, forKey: key)
        case .null: try container.encodeNil(forKey: key)
        case .optional(let inner): try container.encodeIfPresent(inner, forKey: key)
        default: try container.encode(value, forKey: key)
        }
    }

    private static func encode(_ value: EncodableSample, in container: inout any UnkeyedEncodingContainer) throws {
        switch value {
        case .string(let text): try container.encode(text)
        case .bool(let flag): try container.encode(flag)
        case .int(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .float(let number): try container.encode(number)
        case .uint64(let number): try container.encode(number)
        case .date(let date): try container.encode(date)
        case .null: try container.encodeNil()
        default: try container.encode(value)
        }
    }
}

extension Array where Element == (String, EncodableSample) {
    /// The first member under each key (Swift's `String` equality, as a dictionary keeps them).
    fileprivate func uniqued() -> [(String, EncodableSample)] {
        var seen = Set<String>()
        return filter { seen.insert($0.0).inserted }
    }
}

extension Array where Element == (String, [(String, EncodableSample)]) {
    fileprivate func uniqued() -> [(String, [(String, EncodableSample)])] {
        var seen = Set<String>()
        return filter { seen.insert($0.0).inserted }
    }
}
