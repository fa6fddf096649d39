import BatonSupport
import Testing

@Suite struct CivilDateTests {
    /// Day numbers from Python's `datetime.date.toordinal() - date(1970, 1, 1).toordinal()`.
    @Test(arguments: [(1970, 1, 1, 0), (2000, 2, 29, 11_016), (1969, 12, 31, -1), (2024, 12, 31, 20_088), (1600, 3, 1, -135_080)])
    func daysMatchAnIndependentCalendar(year: Int, month: Int, day: Int, expected: Int) {
        #expect(CivilDate.days(year: year, month: month, day: day) == expected)
        let back = CivilDate.civil(day: expected)
        #expect(back.year == year && back.month == month && back.day == day)
    }

    @Test func roundTripsEveryDayOverFourCenturies() {
        for day in stride(from: -146_097, through: 146_097, by: 1) {
            let (y, m, d) = CivilDate.civil(day: day)
            #expect(CivilDate.isValid(year: y, month: m, day: d))
            #expect(CivilDate.days(year: y, month: m, day: d) == day)
        }
    }

    @Test func isoDateAndLeapYears() {
        #expect(CivilDate.isoDate(day: 11_016) == "2000-02-29")
        #expect(CivilDate.isLeapYear(2000) && !CivilDate.isLeapYear(1900) && CivilDate.isLeapYear(2024))
        #expect(!CivilDate.isValid(year: 2025, month: 2, day: 29))
    }
}

/// The shared "did you mean" rule against hand-counted edits.
@Suite struct NearestNameTests {
    @Test(arguments: [("kitten", "sitting", 3), ("", "abc", 3), ("Outcome", "outcome", 0), ("flaw", "lawn", 2), ("same", "same", 0)])
    func editDistanceByHand(a: String, b: String, distance: Int) {
        #expect(NearestName.editDistance(a, b) == distance)
        #expect(NearestName.editDistance(b, a) == distance)
    }

    @Test func closestWithinHalfTheName() {
        let keys = ["outcome", "features", "penalty", "time"]
        #expect(NearestName.closest(to: "featurs", among: keys) == "features")  // 1 edit
        #expect(NearestName.closest(to: "tiem", among: keys) == "time")  // 2 edits ≤ max(2, 2)
        #expect(NearestName.closest(to: "weights", among: keys) == nil)  // nearest is 4+ edits away, limit 3
        #expect(NearestName.closest(to: "x", among: []) == nil)
    }

    @Test func editDistanceIsLevenshteinIgnoringCase() {
        #expect(NearestName.editDistance("kitten", "sitting") == 3)
        #expect(NearestName.editDistance("Region", "region") == 0)
        #expect(NearestName.editDistance("", "abc") == 3)
    }

    @Test func closestAndCandidatesKeepTheirThresholds() {
        #expect(NearestName.closest(to: "thresholds", among: ["threshold", "points"]) == "threshold")
        #expect(NearestName.closest(to: "xyz", among: ["threshold", "points"]) == nil)
        #expect(NearestName.candidates(near: "compnay_size", among: ["company_size", "region", "size"]) == ["company_size", "size"])
    }
}

@Suite struct XMLEscapingTests {
    @Test func escapesMarkupAndReplacesForbiddenCharacters() {
        #expect(xmlEscaped("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        #expect(xmlEscaped("x\u{1}y") == "x\u{FFFD}y")
        #expect(xmlEscaped("a\tb\n") == "a\tb\n")
        #expect(xmlEscaped("a\tb\n", whitespace: .characterReferences) == "a&#9;b&#10;")
    }
}

/// The total Double → Int conversions that replace `Int(x)` (which traps on NaN, ±inf, ±9.3e18).
@Suite struct WholeNumberTests {
    @Test func roundedIntIsNilWhereIntWouldTrap() {
        for x in [Double.nan, .infinity, -.infinity, 1e300, 9.3e18, -9.3e18, Double(Int.max)] { #expect(x.roundedInt() == nil) }
        #expect((2.5).roundedInt() == 3 && (-2.5).roundedInt() == -3 && (2.7).roundedInt(.down) == 2)
        #expect(Double(Int.min).roundedInt() == Int.min)
    }

    @Test func clampedIntStaysInItsRange() {
        #expect(Double.nan.clampedInt(in: 1...10) == 1)
        #expect(Double.infinity.clampedInt(in: 1...10) == 10 && (-Double.infinity).clampedInt(in: 1...10) == 1)
        #expect((1e300).clampedInt(in: 0...Int.max) == Int.max && (4.4).clampedInt(in: 0...10) == 4)
        #expect((4.4).clampedInt(.up, in: 0...10) == 5)
    }

    @Test func plainAndWholeTextNeverTrap() {
        #expect((12.0).plainText == "12" && (-3.0).plainText == "-3" && (0.25).plainText == "0.25")
        #expect((1e15).plainText == "1000000000000000" && (0x1p53).plainText == "9007199254740992" && (1e16).plainText == "1e+16")
        #expect((1e300).plainText == "1e+300" && Double.nan.plainText == "nan" && (-0.0).plainText == "0")
        #expect((33.6).wholeText == "34" && (1e300).wholeText == "1e+300" && Double.infinity.wholeText == "inf")
    }
}

/// Strict RFC 3339 (issue 20: `2026-02-30` became March 2, year 9999999 became −1791). Expected
/// instants from Python's `datetime.fromisoformat(...).timestamp()`, an independent parser.
@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-03-02T14:05:00Z", 1_772_460_300.0), ("2026-03-02T14:05:00.123+02:00", 1_772_453_100.123),
        ("1970-01-01T00:00:00Z", 0), ("2024-02-29T23:59:59-05:30", 1_709_270_999), ("9999-12-31T23:59:59Z", 253_402_300_799),
        ("2026-03-02t14:05:00z", 1_772_460_300),
    ])
    func instantsMatchAnIndependentParser(text: String, seconds: Double) throws {
        let parsed = try #require(RFC3339.secondsSince1970(text))
        #expect(abs(parsed - seconds) < 1e-6)
    }

    @Test(arguments: [
        "2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "9999999-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "10000-01-01T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-03-02T24:00:00Z", "2026-03-02T14:60:00Z", "2026-03-02T14:05:60Z",
        "2026-03-02T14:05:00", "2026-03-02 14:05:00Z", "2026-3-2T14:05:00Z", "2026-03-02T14:05:00+0200", "2026-03-02T14:05:00+24:00",
        "2026-03-02T14:05:00.Z", "2026-03-02T14:05:00.1234567890Z", " 2026-03-02T14:05:00Z", "2026-03-02T14:05:00Z ", "",
        "２０２６-03-02T14:05:00Z", "2026-03-02T14:05:00Z\u{0}",
    ])
    func everythingElseIsRefused(text: String) {
        #expect(RFC3339.secondsSince1970(text) == nil)
    }

    /// Expected texts from Python's `datetime.fromtimestamp(s, timezone.utc).isoformat(timespec="milliseconds")`.
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"), (1_772_460_300.123, "2026-03-02T14:05:00.123Z"), (1_772_460_300, "2026-03-02T14:05:00Z"),
        (-0.5, "1969-12-31T23:59:59.500Z"), (1_709_270_999.9999, "2024-03-01T05:29:59.999Z"), (1e20, "9999-12-31T23:59:59.999Z"),
        (-1e20, "0000-01-01T00:00:00Z"), (Double.nan, "0000-01-01T00:00:00Z"),
    ])
    func instantsAreWrittenAsAnIndependentFormatterWritesThem(seconds: Double, text: String) {
        #expect(RFC3339.text(secondsSince1970: seconds) == text)
    }

    @Test func writtenInstantsReadBackToTheMillisecond() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let ms = Int.random(in: 0...253_402_300_799_999, using: &rng)
            let text = RFC3339.text(secondsSince1970: Double(ms) / 1000)
            #expect(RFC3339.secondsSince1970(text).map { ($0 * 1000).rounded() } == Double(ms), "\(text)")
        }
    }

    @Test func datesOnlyWhereAllowed() {
        #expect(RFC3339.secondsSince1970("2026-04-30") == nil)
        #expect(RFC3339.secondsSince1970("2026-04-30", dateOnlyAllowed: true) == 1_777_507_200)
        #expect(RFC3339.secondsSince1970("2026-04-31", dateOnlyAllowed: true) == nil)
    }
}

/// Ids are printable UTF-8 of at most 256 bytes (issue 20: a NUL was cut by SQLite's binding).
@Suite struct IdentifierTests {
    @Test func printableBoundedTextIsAnId() {
        for id in ["L-1", "lead 42/a%b", "Zoë-Ünïcödé", "00Q5e00000AbCdEfGH", String(repeating: "x", count: 256)] {
            #expect(Identifier.problem(id) == nil, "\(id)")
        }
    }

    @Test func controlCharactersEmptyAndLongAreRefusedWithTheReason() {
        #expect(Identifier.problem("L-BASE\u{0}x")?.contains("U+0000") == true)
        #expect(Identifier.problem("L1\r\nBcc: x")?.contains("U+000D") == true)
        #expect(Identifier.problem("a\u{7F}")?.contains("U+007F") == true)
        #expect(Identifier.problem("a\u{85}")?.contains("U+0085") == true)
        #expect(Identifier.problem("a\u{2028}b") != nil)
        #expect(Identifier.problem("") == "is empty")
        #expect(Identifier.problem(String(repeating: "é", count: 129)) == "is 258 bytes long; an id has at most 256 bytes (UTF-8)")
    }
}
