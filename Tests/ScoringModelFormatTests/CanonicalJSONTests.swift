import Foundation
import ScoringModelFormat
import TestSupport
import Testing

@Suite struct CanonicalJSONTests {
    private func text(_ value: JSONValue) -> String {
        String(decoding: CanonicalJSON.canonicalBytes(value), as: UTF8.self)
    }

    @Test func keysSortedByBytesWithoutWhitespace() {
        let value: JSONValue = .object([
            "b": .integer(1), "a": .array([.bool(true), .null, .double(2.0)]), "B": .string("x"), "é": .object([:]),
        ])
        #expect(text(value) == #"{"B":"x","a":[true,null,2.0],"b":1,"é":{}}"#)
    }

    @Test func stringEscapes() throws {
        let value: JSONValue = .string("q\"b\\n\nt\tc\u{01}ü")
        #expect(text(value) == #""q\"b\\n\nt\tc\u0001ü""#)
        #expect(try CanonicalJSON.parse(CanonicalJSON.canonicalBytes(value)) == value)
    }

    @Test func prettyFormIndentsByTwoAndParsesToTheSameTree() throws {
        let value: JSONValue = .object(["z": .array([.integer(1), .integer(2)]), "a": .object(["k": .string("v")]), "e": .array([])])
        let pretty = String(decoding: CanonicalJSON.prettyBytes(value), as: UTF8.self)
        #expect(pretty == "{\n  \"a\": {\n    \"k\": \"v\"\n  },\n  \"e\": [],\n  \"z\": [\n    1,\n    2\n  ]\n}\n")
        #expect(try CanonicalJSON.parse(Array(pretty.utf8)) == value)
    }

    @Test func parserAcceptsStandardJSONAndNormalises() throws {
        let parsed = try CanonicalJSON.parse(Array(#" { "x" : [ 1e2 , -0 , 0.50, "\u00e9\ud83d\ude00\/" ] } "#.utf8))
        #expect(text(parsed) == #"{"x":[100.0,0,0.5,"é😀/"]}"#)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", "\"\u{01}\"", "{\"a\":1,\"a\":2}", "nul", "[1] x", "1e999"])
    func parserRefusesInvalidText(_ bad: String) {
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.parse(Array(bad.utf8)) }
    }

    @Test func encoderRefusesNonFiniteNumbersNamingThePath() {
        struct Inner: Encodable { var values: [Double] }
        struct Outer: Encodable { var inner: Inner }
        #expect(throws: CanonicalJSONError.nonFiniteNumber(path: "inner.values.[1]", value: "nan")) {
            try CanonicalJSON.encode(Outer(inner: Inner(values: [1, .nan])))
        }
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.encode(["x": Double.infinity]) }
    }

    @Test func encoderKeepsIntegersAndLeavesOutNilOptionals() throws {
        struct Row: Encodable {
            var n: Int
            var x: Double
            var note: String?
            var flag: Bool
        }
        #expect(text(try CanonicalJSON.encode(Row(n: 3, x: 3, note: nil, flag: false))) == #"{"flag":false,"n":3,"x":3.0}"#)
    }

    /// Property: every finite double, written and parsed, comes back with the same bits.
    @Test func doublesRoundTripBitExact() throws {
        var generator = SplitMix64(seed: 2024)
        var values: [Double] = [
            0.1, 1e300, -0.0, 0.0, 1e-7, 2.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1.0 / 3.0,
            Double.leastNormalMagnitude.nextDown, 123456789012345678.0, .pi, -1.5e-310,
        ]
        while values.count < 20000 {
            let candidate = Double(bitPattern: generator.next())
            if candidate.isFinite { values.append(candidate) }
        }
        let tree = try CanonicalJSON.encode(values)
        let back = try CanonicalJSON.parse(CanonicalJSON.canonicalBytes(tree))
        guard case .array(let items) = back else {
            Issue.record("not an array")
            return
        }
        #expect(items.count == values.count)
        for (value, item) in zip(values, items) {
            guard case .double(let read) = item else {
                Issue.record("\(value) read as \(item)")
                continue
            }
            #expect(read.bitPattern == value.bitPattern, "\(value)")
        }
    }
}
