import BatonSupport
import Foundation

/// The `Date:` field (RFC 5322 §3.3 date-time, with the obsolete forms of §4.3): `[day-of-week ,]
/// day month year hour:minute[:second] zone`, the zone `±hhmm` or one of `UT`, `GMT`, `Z`, `EST`,
/// `EDT`, `CST`, `CDT`, `MST`, `MDT`, `PST`, `PDT` (§4.3; a military letter other than `Z` is read
/// as +0000, as §4.3 advises). A two-digit year is 19xx from 50 and 20xx below (§4.3), a comment is
/// ignored. Returns seconds since 1970 UTC, or nil when the text is not such a date.
package enum MailDate {
    package static func secondsSince1970(_ value: String) -> Double? {
        var text = value
        if let open = text.firstIndex(of: "(") { text = String(text[text.startIndex..<open]) }
        if let comma = text.firstIndex(of: ",") { text = String(text[text.index(after: comma)...]) }
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard tokens.count >= 4, let day = Int(tokens[0]), (1...31).contains(day) else { return nil }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard let monthIndex = months.firstIndex(of: tokens[1].lowercased().prefix(3).description), tokens[1].count >= 3 else { return nil }
        guard var year = Int(tokens[2]), tokens[2].count >= 2 else { return nil }
        if tokens[2].count == 2 { year += year >= 50 ? 1900 : 2000 } else if tokens[2].count == 3 { year += 1900 }
        let clock = tokens[3].split(separator: ":").map { Int($0) }
        guard clock.count == 2 || clock.count == 3, let hour = clock[0], let minute = clock[1], (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        let second = clock.count == 3 ? clock[2] : 0
        guard let second, (0...60).contains(second) else { return nil }
        guard RFC3339.years.contains(year), CivilDate.isValid(year: year, month: monthIndex + 1, day: day) else { return nil }
        let offsetMinutes: Int
        let zone = tokens.count > 4 ? tokens[4] : "-0000"
        if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let digits = Int(zone.dropFirst()) {
            let minutes = digits / 100 * 60 + digits % 100
            offsetMinutes = sign == "-" ? -minutes : minutes
        } else {
            let named = [
                "ut": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
            ]
            if let known = named[zone.lowercased()] {
                offsetMinutes = known
            } else if zone.count == 1, zone.first?.isLetter == true {
                offsetMinutes = 0
            } else {
                return nil
            }
        }
        let days = CivilDate.days(year: year, month: monthIndex + 1, day: day)
        let local = Double(days) * 86_400 + Double(hour * 3_600 + minute * 60 + min(second, 59))
        return local - Double(offsetMinutes * 60)
    }
}
