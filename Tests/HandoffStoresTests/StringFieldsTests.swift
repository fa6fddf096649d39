import Foundation
import HandoffPersistence
import TestSupport
import Testing

/// ``JSONText/stringFields()`` against `JSONDecoder` (the independent reference): the same
/// dictionary for every flat object of texts, however it is spelled, and nil (the caller then
/// decodes the general way) for everything else.
@Suite struct StringFieldsTests {
    /// What `JSONDecoder` makes of `text`, or nil when it refuses it.
    private func reference(_ text: String) -> [String: String]? {
        try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    /// Texts with what JSON escapes or may spell several ways: quotes, backslashes, slashes,
    /// every control character, non-ASCII, scalars outside the BMP (surrogate pairs when escaped).
    private func randomText(_ rng: inout SplitMix64) -> String {
        let pool: [Unicode.Scalar] =
            ["a", "Z", "0", " ", "\"", "\\", "/", ":", ",", "{", "}", "[", "é", "ß", "€", "語", "\u{0301}", "\u{7F}", "\u{2028}", "😀", "\u{10FFFF}"]
            + (0..<0x20).map { Unicode.Scalar(UInt8($0)) }
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int(rng.next() % 12) { scalars.append(pool[Int(rng.next() % UInt64(pool.count))]) }
        return String(scalars)
    }

    /// Every character escaped as `\uXXXX` (pairs above the BMP), the way some writers send it.
    private func fullyEscaped(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 { out += String(format: "\\u%04X", unit) }
        return out + "\""
    }

    @Test func flatObjectsReadAsJSONDecoderReadsThem() throws {
        var rng = SplitMix64(seed: 8259)
        for round in 0..<400 {
            var fields: [String: String] = [:]
            for _ in 0..<Int(rng.next() % 6) { fields[randomText(&rng)] = randomText(&rng) }
            // Keys equal under canonical equivalence are one key to Swift: the spellings below
            // would repeat a key, which the reader declines (tested separately).
            var spellings = [try JSONText(encoding: fields).text]
            let serialized = try JSONSerialization.data(withJSONObject: fields, options: [.fragmentsAllowed])
            spellings.append(String(decoding: serialized, as: UTF8.self))  // escapes "/" as "\/"
            let spaced = fields.sorted { $0.key < $1.key }.map { "\n\t\(fullyEscaped($0.key)) :\r\n \(fullyEscaped($0.value))" }
            spellings.append(" {" + spaced.joined(separator: " , ") + " }\n")  // as jsonb prints it, and wider
            for text in spellings {
                let expected = try #require(reference(text), "round \(round): JSONDecoder refused \(text.debugDescription)")
                #expect(JSONText(trusted: text).stringFields() == expected, "round \(round): \(text.debugDescription)")
                #expect(expected == fields)
            }
        }
    }

    @Test func theStoresOwnSpellingsRead() throws {
        #expect(JSONText.emptyObject.stringFields() == [:])
        #expect(JSONText(trusted: " { } ").stringFields() == [:])
        #expect(
            JSONText(trusted: #"{"company_size": "201-1000", "note": "a \"b\"\n"}"#).stringFields() == [
                "company_size": "201-1000", "note": "a \"b\"\n",
            ])
        #expect(JSONText(trusted: #"{"e":"\ud83d\ude00\u00e9\/"}"#).stringFields() == ["e": "😀é/"])
        let lead = LeadRecord(id: "L1", fields: try JSONText(encoding: ["size": "250", "note": "Grüße"]), createdAt: Date(timeIntervalSince1970: 0))
        #expect(lead.fieldValues == ["size": "250", "note": "Grüße"])
    }

    /// Not a flat object of texts, or not JSON: declined, and `fieldValues` answers as `JSONDecoder` does.
    @Test func everythingElseIsLeftToTheDecoder() throws {
        let declined = [
            "", "   ", "[]", "\"text\"", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":\"b\",}", "{,}", "{\"a\":\"b\" \"c\":\"d\"}",
            "{\"a\":1}", "{\"a\":null}", "{\"a\":true}", "{\"a\":{\"b\":\"c\"}}", "{\"a\":[\"b\"]}",
            "{\"a\":\"b\"} x", "{\"a\":\"b\"}{}", "{'a':'b'}", "{a:\"b\"}",
            "{\"a\":\"b\u{1}\"}", "{\"a\":\"\t\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"b",
            "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\\ud800x\"}",
            "{\"a\":\"1\",\"a\":\"2\"}", "{\"\u{E9}\":\"1\",\"e\u{301}\":\"2\"}",
        ]
        for text in declined {
            #expect(JSONText(trusted: text).stringFields() == nil, "\(text.debugDescription)")
            let lead = LeadRecord(id: "L1", fields: JSONText(trusted: text), createdAt: Date(timeIntervalSince1970: 0))
            #expect(lead.fieldValues == (reference(text) ?? [:]), "\(text.debugDescription)")
        }
    }
}
