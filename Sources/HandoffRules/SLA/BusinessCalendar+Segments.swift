import Foundation

extension BusinessCalendar {
    /// The open stretches of business time between two instants, in order: each is the part of
    /// one day's working window inside `[start, end]`; their lengths sum to
    /// ``businessTime(from:to:)`` (empty when `end ≤ start` or nothing is open in between).
    ///
    /// The SLA ledger shows these so a reader sees where the clock ran: a lead handed off on
    /// Friday at 16:30 with a 1 h target runs 30 minutes on Friday and 30 on Monday.
    package func businessSegments(from start: Date, to end: Date) -> [DateInterval] {
        guard end > start else { return [] }
        var segments: [DateInterval] = []
        var date = LocalDate(start, in: timeZone)
        let last = LocalDate(end, in: timeZone)
        while date <= last {
            if let window = window(on: date) {
                let from = max(start, window.start)
                let to = min(end, window.end)
                if to > from { segments.append(DateInterval(start: from, end: to)) }
            }
            date = date.adding(days: 1)
        }
        return segments
    }
}
