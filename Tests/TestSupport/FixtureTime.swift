import Foundation

/// "2025-10-06T09:00:00Z" → Date (a fixture's instant; a typo stops the test run).
package func at(_ text: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: text) else { preconditionFailure("bad fixture date \(text)") }
    return date
}

/// UTC, for fixtures' calendars.
package let utc = TimeZone(identifier: "UTC")!
