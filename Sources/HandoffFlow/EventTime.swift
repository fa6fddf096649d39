import BatonSupport
import Foundation

/// RFC 3339 instants as events write them (``RFC3339``, on `Date`): the one reader and writer of
/// event times, API answers and listings.
package enum EventTime {
    /// Parses `2026-03-02T14:05:00Z`, `…:00.123+02:00`, and (when allowed) `2026-03-02` as
    /// midnight UTC, strictly (``RFC3339``): a day that does not exist or a year outside
    /// 1970–9999 is nil, never a neighbouring date.
    package static func parse(_ text: String, dateOnlyAllowed: Bool = false) -> Date? {
        RFC3339.secondsSince1970(text, dateOnlyAllowed: dateOnlyAllowed).map { Date(timeIntervalSince1970: $0) }
    }

    /// `2026-03-02T14:05:00Z`, with `.123` milliseconds only when they are not zero (``RFC3339/text(secondsSince1970:)``).
    package static func format(_ date: Date) -> String {
        RFC3339.text(secondsSince1970: date.timeIntervalSince1970)
    }
}
