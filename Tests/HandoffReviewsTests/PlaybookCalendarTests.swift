import Foundation
import HandoffPersistence
import HandoffReviews
import HandoffRules
import TestSupport
import Testing

/// Business time from the hand-off flow's calendar, and the reps' calendars from a playbook, on
/// the hand-built week of ``WeekFixture`` (answers worked out by hand in the comments).
@Suite struct PlaybookCalendarTests {
    /// r1 works 09:00–17:00 in São Paulo (UTC−3 all year since 2019: 12:00–20:00 UTC) with
    /// Monday 2025-10-06 off; r2 is not in the playbook, so it gets the sla: hours 10:00–16:00
    /// in its stored zone (UTC). High-priority first touch within 2 business hours.
    static let playbook = """
        routing: {fallback_queue: triage}
        sla:
          working_hours: {days: [mon, tue, wed, thu, fri], from: "10:00", to: "16:00"}
          holidays:
            br: [2025-10-06]
          policies:
            high: {first_touch_hours: 2}
            standard: {first_touch_hours: 6}
        reps:
          - id: r1
            time_zone: America/Sao_Paulo
            working_hours: {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}
            holidays: br
        """

    @Test func handoffCalendarIsTheAnalyticsCalendar() {
        let cal: any BusinessTimeCalendar = BusinessCalendar(timeZone: utc)
        // Fri 16:00 → Mon 10:00: one hour Friday, one Monday; a weekend alone is none.
        #expect(cal.businessSeconds(from: at("2025-10-10T16:00:00Z"), to: at("2025-10-13T10:00:00Z")) == 7200)
        #expect(cal.businessSeconds(from: at("2025-10-11T10:00:00Z"), to: at("2025-10-12T18:00:00Z")) == 0)
        let holiday = BusinessCalendar(timeZone: utc, holidays: [LocalDate(year: 2025, month: 10, day: 13)!])
        #expect(holiday.businessSeconds(from: at("2025-10-10T16:00:00Z"), to: at("2025-10-14T10:00:00Z")) == 7200)
        // New York rep: 09:00 EDT = 13:00 UTC; 12:00 → 15:00 UTC is 2 business hours there.
        let ny = BusinessCalendar(timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(ny.businessSeconds(from: at("2025-10-06T12:00:00Z"), to: at("2025-10-06T15:00:00Z")) == 7200)
        // Backwards is 0 (the protocol's rule), not the flow's negative time.
        #expect(cal.businessSeconds(from: at("2025-10-07T10:00:00Z"), to: at("2025-10-06T10:00:00Z")) == 0)
        // The default is the same 09–17 weekday calendar in the rep's zone, UTC for the queue.
        let rep = RepRecord(id: "x", name: "X", timeZone: "Asia/Tokyo", updatedAt: at("2025-01-01T00:00:00Z"))
        #expect(AnalyticsConfiguration().calendar(rep) as? BusinessCalendar == BusinessCalendar(timeZone: TimeZone(identifier: "Asia/Tokyo")!))
        #expect(AnalyticsConfiguration().calendar(nil) as? BusinessCalendar == BusinessCalendar(timeZone: .gmt))
    }

    @Test func playbookCalendarsMeasureSpeedToContact() throws {
        var config = AnalyticsConfiguration()
        config.use(try FlowPlaybook.parse(yaml: Self.playbook, file: "playbook.yaml"), name: "playbook.yaml")
        #expect(config.targetHours(policy: "high") == 2 && config.targetHours(policy: "standard") == 6)
        #expect(config.calendarNote.hasPrefix("from the playbook playbook.yaml: the time zone, working hours and holidays of its 1 rep(s) (r1)"))
        #expect(config.calendarNote.contains("10:00–16:00 Mon, Tue, Wed, Thu, Fri"))
        let journeys = WeekFixture.journeys()
        func hours(_ id: String) throws -> Double? {
            SpeedToContact.hours(
                try #require(journeys.first { $0.lead.id == id }), reps: WeekFixture.repsByID,
                asOf: WeekFixture.asOf, configuration: config)
        }
        // L1 r1 Mon 09:00 → 09:30 UTC: 06:00–06:30 in São Paulo, and a holiday: 0.
        #expect(try hours("L1") == 0)
        // L2 r1 Mon 16:00 UTC → Tue 10:00 UTC: Monday is a holiday; Tue 07:00 local is before opening: 0.
        // (Without the holiday: Mon 13:00–17:00 local = 4.)
        #expect(try hours("L2") == 0)
        // L3 r2 (not in the playbook) Tue 09:00 → Wed 09:00 UTC in 10–16 UTC: Tue 10–16 = 6, Wed none.
        #expect(try hours("L3") == 6)
        var noHoliday = AnalyticsConfiguration()
        noHoliday.use(try FlowPlaybook.parse(yaml: Self.playbook.replacingOccurrences(of: "\n    holidays: br", with: "")), name: "p")
        #expect(
            SpeedToContact.hours(
                try #require(journeys.first { $0.lead.id == "L2" }), reps: WeekFixture.repsByID,
                asOf: WeekFixture.asOf, configuration: noHoliday) == 4)
        // The report states the calendar it used.
        let results = ReviewResults(
            data: ReviewData(journeys: journeys, reps: WeekFixture.repsByID, deployments: []),
            period: try WeekFixture.period(), asOf: WeekFixture.asOf, configuration: config)
        let report = ReviewReport(results: results, configuration: config, title: "t")
        #expect(report.markdown.contains("from the playbook playbook.yaml"))
    }
}
