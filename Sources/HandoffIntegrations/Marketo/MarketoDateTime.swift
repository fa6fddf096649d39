import BatonSupport
import Foundation

/// Marketo's `{{system.dateTime}}` token: the current time as wall-clock text, `2013-08-08 16:36:13`,
/// in the subscription's time zone and without any zone in the text (Marketo "System Tokens
/// Glossary", experienceleague.adobe.com/docs/marketo/using/product-docs/email-marketing/general/
/// using-tokens/system-tokens-glossary: "Your account time zone setting affects when date and
/// time tokens run"). Baton needs an instant, so the zone is configuration (`marketo_time_zone`,
/// the IANA name of the zone set under Admin → Location in Marketo).
package enum MarketoDateTime {
    /// Why a wall-clock text is not one instant.
    package enum Problem: Error, Sendable, Equatable {
        /// Not `yyyy-MM-dd HH:mm:ss` (or not a day and time that exist on the calendar).
        case notWallClock
        /// A time the clocks skip in `zone` (the spring-forward gap): no instant has it.
        case skipped(zone: String)
    }

    /// The instant the wall-clock `text` denotes in `zone`. In the hour that repeats when the
    /// clocks go back, the earlier of the two instants is taken (Marketo's text cannot tell them
    /// apart; the later reading of the same event is at most an hour off and still ordered).
    package static func instant(_ text: String, in zone: TimeZone) throws(Problem) -> Date {
        let bytes = Array(text.utf8)
        guard bytes.count == 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { throw .notWallClock }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), hour < 24, minute < 60, second < 60,
            RFC3339.years.contains(year), CivilDate.isValid(year: year, month: month, day: day)
        else { throw .notWallClock }
        // The wall clock read as if it were UTC; the instant is that minus the zone's offset then.
        let naive = Double(CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second)
        // The offsets in force around that day (at most two: before and after a transition).
        let offsets = Set([-43_200.0, 0, 43_200].map { zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive + $0)) })
        let candidates = offsets.map { naive - Double($0) }.filter { zone.secondsFromGMT(for: Date(timeIntervalSince1970: $0)) == Int(naive - $0) }
        guard let earliest = candidates.min() else { throw .skipped(zone: zone.identifier) }
        return Date(timeIntervalSince1970: earliest)
    }
}
