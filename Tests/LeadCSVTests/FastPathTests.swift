import Foundation
import TestSupport
import Testing

@testable import LeadCSV

/// The word-at-a-time field scan, the integer and Clinger fast paths of the number parser and
/// the inline-word level interner, each against an independent, plain implementation.
@Suite struct FastPathTests {
    // MARK: numbers

    @Test(arguments: [
        "0", "-0", "+0", "0.0", "-0.0", "00", "007", "+1", "-1", "1.", ".5", "-.5", "+.5", "1e0", "1E+2", "1e-2",
        "9007199254740992", "9007199254740993", "9007199254740993.0", "18446744073709551615", "18446744073709551616",
        "9999999999999999999", "99999999999999999999", "0.1", "0.3", "123456.789e3", "1e22", "1e23", "12e25",
        "9007199254740991e22", "9007199254740993e22", "1e-22", "1e-23", "123e-20", "4.9e-324", "2.4703282292062327e-324",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308", "0e999999999999",
        "-0e-5", "0.000000000000000000000000000001", "1e00000000000000000000000000000002",
        "3.14159265358979323846264338327950288419716939937510", "000000000000000000000000001.5",
    ])
    func edgeCasesMatchDoubleInit(text: String) {
        #expect(parseDecimalNumber(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
    }

    @Test(arguments: [
        "inf", "-inf", "Infinity", "nan", "NaN", "0x1p3", "1e", "1e+", "+", "-", ".", "e5", "1_000",
        "1,5", "1.2.3", "--1", "+-1", "1e5.5", "١٢",
    ])
    func nonDecimalsAreRejected(text: String) {
        #expect(parseDecimalNumber(text) == nil, "\(text)")
    }

    @Test func hugeValuesComeBackInfinite() {
        #expect(parseDecimalNumber("1e400") == .infinity)
        #expect(parseDecimalNumber("-1e400") == -.infinity)
        #expect(parseDecimalNumber("1" + String(repeating: "0", count: 400)) == .infinity)
    }

    /// Short mantissas with exponents around the fast path's limits (±22, shifted up to 10^38).
    @Test func fastPathScalesMatchDoubleInit() {
        var rng = SplitMix64(seed: 2024)
        for _ in 0..<200_000 {
            let digits = 1 + Int(rng.next() % 19)
            var mantissa = String((0..<digits).map { _ in Character(String(rng.next() % 10)) })
            if rng.next() % 3 == 0 {
                let point = Int(rng.next() % UInt64(digits + 1))
                mantissa.insert(".", at: mantissa.index(mantissa.startIndex, offsetBy: point))
            }
            let exponent = Int(rng.next() % 90) - 45
            let text = (rng.next() % 2 == 0 ? "-" : "") + mantissa + "e\(exponent)"
            #expect(parseDecimalNumber(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }

    @Test func integersOfEveryLengthMatchDoubleInit() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<100_000 {
            let digits = 1 + Int(rng.next() % 24)
            let text = String((0..<digits).map { _ in Character(String(rng.next() % 10)) })
            #expect(parseDecimalNumber(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
            let table = try? LeadTableReader.read(text: "a\n\(text)\n", file: "t.csv", columns: [.numeric("a")])
            // The reader keeps the lab's bound: beyond 10^15 a cell is refused, never misread.
            let expected = Double(text).flatMap { abs($0) <= 1e15 ? $0.bitPattern : nil }
            #expect(table?.numeric("a").values.first?.bitPattern == expected, "\(text)")
        }
    }

    // MARK: field scan

    /// A plain RFC 4180 reader (byte by byte) for the random files below.
    static func referenceRows(_ text: String) -> [(line: Int, fields: [String])] {
        let bytes = Array(text.utf8)
        var rows: [(Int, [String])] = []
        var i = 0
        var line = 1
        func isEnd(_ k: Int) -> Bool { bytes[k] == 0x0A || bytes[k] == 0x0D }
        func lineEnd() {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
            i += 1
            line += 1
        }
        var header = true
        while i < bytes.count {
            if isEnd(i) {
                lineEnd()
                continue
            }
            let rowLine = line
            var fields: [String] = []
            var field: [UInt8] = []
            var done = false
            while !done {
                field = []
                if i < bytes.count, bytes[i] == 0x22 {
                    i += 1
                    while true {
                        if bytes[i] == 0x22 {
                            if i + 1 < bytes.count, bytes[i + 1] == 0x22 {
                                field.append(0x22)
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        if bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) { line += 1 }
                        field.append(bytes[i])
                        i += 1
                    }
                } else {
                    while i < bytes.count, bytes[i] != 0x2C, !isEnd(i) {
                        field.append(bytes[i])
                        i += 1
                    }
                }
                fields.append(String(decoding: field, as: UTF8.self))
                if i >= bytes.count {
                    done = true
                } else if bytes[i] == 0x2C {
                    i += 1
                } else {
                    lineEnd()
                    done = true
                }
            }
            if header { header = false } else { rows.append((rowLine, fields)) }
        }
        return rows
    }

    @Test(arguments: [1, 2, 5])
    func randomFilesMatchAPlainReader(parts: Int) throws {
        var rng = SplitMix64(seed: UInt64(77 + parts))
        let words = [
            "a", "bb", "red", "north_america", "a level longer than sixteen bytes", "a level longer than sixteen bytes!",
            "", " padded ", "x\"y", "\"quoted, with comma\"", "\"two\nlines\"", "\"say \"\"hi\"\"\"", "ünïcödé",
            "0123456789abcdefg", "0123456789abcdefh",
        ]
        let ends = ["\n", "\r\n", "\r", "\n\n"]
        for round in 0..<40 {
            let columns = 2 + Int(rng.next() % 9)
            var text = (0..<columns).map { "c\($0)" }.joined(separator: ",") + ends[Int(rng.next() % 2)]
            let rows = 1 + Int(rng.next() % 60)
            for row in 0..<rows {
                let cells = (0..<columns).map { column -> String in
                    column % 2 == 0 ? String(rng.next() % 1000) : words[Int(rng.next() % UInt64(words.count))]
                }
                text += cells.joined(separator: ",")
                if row < rows - 1 || rng.next() % 2 == 0 { text += ends[Int(rng.next() % UInt64(ends.count))] }
            }
            let requests: [ColumnRequest] = (0..<columns).map { column in
                column % 2 == 0 ? .numeric("c\(column)") : round % 2 == 0 ? .raw("c\(column)") : .text("c\(column)")
            }
            let table = try LeadTableReader.read(text: text, file: "t.csv", columns: requests, parts: parts)
            let expected = Self.referenceRows(text)
            #expect(table.rowCount == expected.count, "\(text)")
            guard table.rowCount == expected.count else { continue }
            #expect(Array(table.lineOfRow) == expected.map(\.line), "\(text)")
            for column in 0..<columns {
                let name = "c\(column)"
                if column % 2 == 0 {
                    #expect(Array(table.numeric(name).values) == expected.map { Double($0.fields[column])! })
                } else if let raw = table.rawIfRead(name) {
                    #expect(raw.values == expected.map { $0.fields[column] })
                } else {
                    let texts = table.text(name)
                    let trimmed = expected.map { $0.fields[column].trimmingCharacters(in: CharacterSet(charactersIn: " \t")) }
                    #expect(texts.codes.map { texts.levels[Int($0)] } == trimmed)
                }
            }
        }
    }

    // MARK: levels

    /// Many levels (the table grows), levels sharing their first 16 bytes, lengths 0–40, and
    /// cells at the very end of the bytes (the interner cannot load past them).
    @Test func internerCodesMatchADictionary() {
        var rng = SplitMix64(seed: 5)
        var interner = LevelInterner()
        var reference: [String: Int32] = [:]
        for _ in 0..<50_000 {
            let length = Int(rng.next() % 41)
            let stem = "shared-prefix-16"
            var level = length <= 16 ? String(stem.prefix(length)) : stem + String(repeating: "z", count: length - 16)
            if rng.next() % 2 == 0, !level.isEmpty {
                level.removeLast()
                level.append(Character(UnicodeScalar(UInt8(97 + rng.next() % 26))))
            }
            let bytes = Array(level.utf8)
            let code = bytes.withUnsafeBufferPointer { buffer in
                // A copy with no bytes after it, so any load past the cell would be out of bounds.
                let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(buffer.count, 1))
                defer { copy.deallocate() }
                if let source = buffer.baseAddress { copy.initialize(from: source, count: buffer.count) }
                return interner.code(copy, buffer.count, readable: buffer.count)
            }
            let expected = reference[level] ?? Int32(reference.count)
            reference[level] = expected
            #expect(code == expected, "\(level)")
        }
        #expect(interner.levels.count == reference.count)
        for (level, code) in reference { #expect(interner.levels[Int(code)] == level) }
    }
}
