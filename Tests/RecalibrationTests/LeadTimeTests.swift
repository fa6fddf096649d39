import BatonSupport
import Recalibration
import Testing

/// Time parsing and quarter boundaries against epoch seconds from Python's datetime.
struct LeadTimeTests {
    @Test(arguments: [
        ("2025-04-01T00:00:00Z", 1_743_465_600),
        ("2025-04-01", 1_743_465_600),
        ("2025-04-01 00:00:00", 1_743_465_600),
        ("2025-04-01T05:30:00+05:30", 1_743_465_600),
        ("2025-04-01T05:30+0530", 1_743_465_600),
        ("2025-06-30T22:00:00-04:00", 1_751_335_200),
        ("2025-04-01T01:00:00+02:00", 1_743_462_000),
        ("2024-02-29T12:34:56.789Z", 1_709_210_096),
        ("1969-12-31T23:59:59Z", -1),
    ])
    func parsesISO8601(text: String, seconds: Int) {
        #expect(LeadTime.seconds(text) == seconds)
    }

    @Test(arguments: [
        "", "2025-02-29", "2025-13-01", "2025/01/01", "2025-01-01T24:00:00Z", "2025-01-01T10:00:00X",
        "25-01-01", "2025-01-01T10", "2025-01-01T10:00:00+2", "2025-01-01Z", "2025-04-01T00:00:00.Z",
    ])
    func rejectsNonISO(text: String) {
        #expect(LeadTime.seconds(text) == nil)
    }

    @Test func quarterEdgesAreUTC() {
        func quarter(_ text: String) -> String {
            CalendarQuarter(containingDay: Int((Double(LeadTime.seconds(text) ?? 0) / 86_400).rounded(.down))).description
        }
        #expect(quarter("2025-03-31T23:59:59Z") == "2025Q1")
        #expect(quarter("2025-04-01T00:00:00Z") == "2025Q2")
        // 01:00 in Paris on April 1st is still March 31st in UTC.
        #expect(quarter("2025-04-01T01:00:00+02:00") == "2025Q1")
        // 22:00 in New York on June 30th is already July 1st in UTC.
        #expect(quarter("2025-06-30T22:00:00-04:00") == "2025Q3")
        #expect(quarter("1969-12-31T23:59:59Z") == "1969Q4")
        #expect(CalendarQuarter(year: 2024, quarter: 1).dayCount == 91)  // leap February
        #expect(CalendarQuarter(year: 2025, quarter: 1).dayCount == 90)
        #expect(CalendarQuarter(year: 2025, quarter: 4).next == CalendarQuarter(year: 2026, quarter: 1))
        #expect(CalendarQuarter(year: 2025, quarter: 2).span == "2025-04-01 … 2025-06-30")
    }

    @Test func lastMaturedQuarter() throws {
        func last(_ asOf: String, _ window: Int) throws -> String {
            let day = try #require(LeadTime.day(asOf))
            return CalendarQuarter.lastMatured(asOfDay: day, outcomeWindowDays: window).description
        }
        // 2025Q2 ends 2025-07-01; + 90 days = 2025-09-29.
        #expect(try last("2025-10-01", 90) == "2025Q2")
        #expect(try last("2025-09-29", 90) == "2025Q2")
        #expect(try last("2025-09-28", 90) == "2025Q1")
        #expect(try last("2025-10-01", 0) == "2025Q3")
        #expect(try last("2025-09-30", 0) == "2025Q2")
        #expect(try last("2025-10-01", 365) == "2024Q3")
    }
}
