import Foundation
import HandoffRules
import TestSupport
import Testing

@Suite struct BusinessCalendarTests {
    let ny = Flow.nyCalendar

    @Test func oneHourFromFridayAfternoonLandsOnMonday() {
        // Fri 16:30 → 30 min left on Friday, the other 30 min from Monday 09:00.
        let deadline = ny.adding(businessHours: 1, to: Flow.at(2026, 11, 20, 16, 30))
        #expect(deadline == Flow.at(2026, 11, 23, 9, 30))
    }

    @Test func fourHoursSkipThanksgiving() {
        // Wed 15:00: 2 h on Wednesday, Thursday 26th is a holiday, 2 h on Friday → Fri 11:00.
        let deadline = ny.adding(businessHours: 4, to: Flow.at(2026, 11, 25, 15))
        #expect(deadline == Flow.at(2026, 11, 27, 11))
        #expect(ny.businessHours(from: Flow.at(2026, 11, 25, 15), to: Flow.at(2026, 11, 27, 11)) == 4)
    }

    @Test func deadlineAcrossSpringForwardIsInLocalHours() {
        // Fri 2026-03-06 16:00 EST + 2 business hours: 1 h Friday, 1 h Monday → Mon 10:00 EDT,
        // which is 14:00 UTC (EDT is UTC−4 after the 8 March change).
        let deadline = ny.adding(businessHours: 2, to: Flow.at(2026, 3, 6, 16))
        #expect(deadline == Flow.at(2026, 3, 9, 14, in: Flow.utc))
        // Real elapsed time is 2 days 17 hours (21:00 UTC Friday → 14:00 UTC Monday), not 2 d 18 h.
        #expect(deadline.timeIntervalSince(Flow.at(2026, 3, 6, 16)) == (2 * 24 + 17) * 3600)
    }

    @Test func aRoundTheClockDayIsShorterOrLongerOnClockChanges() {
        let always = BusinessCalendar(
            timeZone: Flow.newYork,
            hours: WorkingHours(days: Set(Weekday.allCases), opensAtMinute: 0, closesAtMinute: 1440))
        #expect(always.businessHours(from: Flow.at(2026, 3, 8), to: Flow.at(2026, 3, 9)) == 23)
        #expect(always.businessHours(from: Flow.at(2026, 11, 1), to: Flow.at(2026, 11, 2)) == 25)
        #expect(always.businessHours(from: Flow.at(2026, 11, 2), to: Flow.at(2026, 11, 3)) == 24)
    }

    @Test func sameInstantDifferentRepTimeZones() {
        // Mon 2026-11-23 15:00 UTC is 16:00 in Berlin (CET) and 10:00 in New York (EST).
        let start = Flow.at(2026, 11, 23, 15, in: Flow.utc)
        // Berlin: 1 h Monday, 3 h Tuesday → Tue 12:00 CET = 11:00 UTC.
        #expect(Flow.berlinCalendar.adding(businessHours: 4, to: start) == Flow.at(2026, 11, 24, 11, in: Flow.utc))
        // New York: 10:00 + 4 h = 14:00 EST = 19:00 UTC the same day.
        #expect(ny.adding(businessHours: 4, to: start) == Flow.at(2026, 11, 23, 19, in: Flow.utc))
    }

    @Test func tenBusinessDaysFromASaturday() {
        // Counting starts Mon 23 Nov 09:00; working days 23, 24, 25, (26 holiday), 27, 30 Nov,
        // 1, 2, 3, 4, 7 Dec: the tenth ends Mon 7 Dec 17:00.
        #expect(ny.adding(businessDays: 10, to: Flow.at(2026, 11, 21, 12)) == Flow.at(2026, 12, 7, 17))
    }

    @Test func fullDayFromOpeningEndsAtClosingNotNextMorning() {
        #expect(ny.adding(businessHours: 8, to: Flow.at(2026, 11, 23, 9)) == Flow.at(2026, 11, 23, 17))
        #expect(ny.adding(businessHours: 0, to: Flow.at(2026, 11, 21, 12)) == Flow.at(2026, 11, 21, 12))
    }

    @Test func businessTimeBetweenHandComputedInstants() {
        // Fri 16:00 → Mon 10:00: 1 h + 1 h.
        #expect(ny.businessHours(from: Flow.at(2026, 11, 20, 16), to: Flow.at(2026, 11, 23, 10)) == 2)
        // Whole Thanksgiving week Mon 00:00 → next Mon 00:00: four working days.
        #expect(ny.businessHours(from: Flow.at(2026, 11, 23), to: Flow.at(2026, 11, 30)) == 32)
        // Antisymmetric.
        #expect(ny.businessHours(from: Flow.at(2026, 11, 23, 10), to: Flow.at(2026, 11, 20, 16)) == -2)
        // Inside a closed stretch: nothing.
        #expect(ny.businessTime(from: Flow.at(2026, 11, 21, 8), to: Flow.at(2026, 11, 22, 20)) == 0)
    }

    @Test func openingAndClosingEdges() {
        #expect(ny.isOpen(at: Flow.at(2026, 11, 23, 9)))
        #expect(!ny.isOpen(at: Flow.at(2026, 11, 23, 17)))
        #expect(!ny.isOpen(at: Flow.at(2026, 11, 26, 12)))  // Thanksgiving
        #expect(!ny.isOpen(at: Flow.at(2026, 11, 22, 12)))  // Sunday
        #expect(ny.nextOpening(atOrAfter: Flow.at(2026, 11, 25, 17)) == Flow.at(2026, 11, 27, 9))
        #expect(ny.nextOpening(atOrAfter: Flow.at(2026, 11, 25, 12)) == Flow.at(2026, 11, 25, 12))
    }

    @Test func weekdaysOfKnownDates() {
        #expect(Flow.date("2026-11-20").weekday == .fri)
        #expect(Flow.date("2026-03-08").weekday == .sun)
        #expect(Flow.date("2028-02-29").weekday == .tue)
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("26-1-1") == nil)
        #expect(Flow.date("2026-12-31").adding(days: 1) == Flow.date("2027-01-01"))
    }

    /// Property: for random starts across 2026 (weekends, holidays, both clock changes) and random
    /// amounts, business time from `a` to `a + h business` is exactly `h`, adding is monotone,
    /// and business time is additive over any middle point.
    @Test(arguments: [Flow.nyCalendar, Flow.berlinCalendar])
    func addThenMeasureRoundTrips(calendar: BusinessCalendar) {
        var rng = SplitMix64(seed: 0x5EED_CA1E)
        let yearStart = Flow.at(2026, 1, 1, in: calendar.timeZone)
        for _ in 0..<400 {
            let a = yearStart.addingTimeInterval(Double(rng.next() % (365 * 86_400)))
            let seconds = Double(rng.next() % (120 * 3600))
            let b = calendar.adding(businessSeconds: seconds, to: a)
            #expect(calendar.businessTime(from: a, to: b) == seconds)
            #expect(b >= a)
            let more = calendar.adding(businessSeconds: seconds + 1800, to: a)
            #expect(more > b)
            let middle = a.addingTimeInterval(Double(rng.next() % (30 * 86_400)))
            let far = middle.addingTimeInterval(Double(rng.next() % (30 * 86_400)))
            #expect(
                calendar.businessTime(from: a, to: middle) + calendar.businessTime(from: middle, to: far)
                    == calendar.businessTime(from: a, to: far))
            // A deadline never lands outside a window (except a zero amount).
            if seconds > 0 {
                let justBefore = b.addingTimeInterval(-0.5)
                #expect(calendar.isOpen(at: justBefore))
            }
        }
    }

    @Test func fractionalHoursRoundTripWithinAMicrosecond() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let a = Flow.at(2026, 10, 1).addingTimeInterval(rng.uniform() * 90 * 86_400)
            let hours = rng.uniform() * 50
            let b = ny.adding(businessHours: hours, to: a)
            #expect(isClose(ny.businessHours(from: a, to: b), hours, absolute: 1e-9, relative: 0))
        }
    }
}
