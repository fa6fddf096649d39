import Foundation
import LeadCSV
import TestSupport
import Testing

/// The reader's number parser must give exactly `Double(String)` on every decimal text.
@Suite struct DecimalParsingTests {
    func randomDecimal(_ rng: inout SplitMix64) -> String {
        let sign = ["", "-", "+"][Int(rng.next() % 3)]
        let intDigits = Int(rng.next() % 20)
        let fracDigits = Int(rng.next() % 25)
        var text = sign + String((0..<intDigits).map { _ in Character(String(rng.next() % 10)) })
        if fracDigits > 0 || intDigits == 0 {
            text += "." + String((0..<max(fracDigits, intDigits == 0 ? 1 : 0)).map { _ in Character(String(rng.next() % 10)) })
        }
        if rng.next() % 4 == 0 {
            text += (rng.next() % 2 == 0 ? "e" : "E") + ["", "-", "+"][Int(rng.next() % 3)] + String(rng.next() % 320)
        }
        return text
    }

    @Test func matchesDoubleInitOnRandomDecimals() {
        var rng = SplitMix64(seed: 42)
        var checked = 0
        for _ in 0..<200_000 {
            let text = randomDecimal(&rng)
            let expected = Double(text)
            let actual = parseDecimalNumber(text)
            #expect(actual?.bitPattern == expected?.bitPattern, "\(text)")
            if expected != nil { checked += 1 }
        }
        #expect(checked > 190_000)
    }

    @Test func matchesDoubleInitOnRandomDoublesPrinted() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<100_000 {
            let value = Double(bitPattern: rng.next())
            guard value.isFinite else { continue }
            let texts = [
                "\(value)", String(format: "%.6f", value), String(format: "%.17g", value), "\(Double(Int32(truncatingIfNeeded: rng.next())) / 1000)",
            ]
            for text in texts where !text.contains("inf") && !text.contains("nan") {
                #expect(parseDecimalNumber(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
            }
        }
    }
}
