import Foundation
import ScoringModelFormat

/// One entry of the playbook's `reps:` section as written, before holiday lists are looked up.
/// ``resolve(_:holidays:defaultHours:)`` turns the entries into a ``RepRoster``.
package struct RepSpec: Sendable, Hashable {
    /// A half-open absence: from the start of `from` to the end of `to`, local dates, inclusive.
    package struct Absence: Sendable, Hashable {
        package let from: LocalDate
        package let to: LocalDate
    }

    package let id: String
    package let name: String
    package let email: String
    package let manager: String?
    package let territories: [String]
    package let industries: [String]
    package let dealSizeTiers: [String]
    package let weight: Int
    package let capacity: Int
    package let timeZone: TimeZone
    package let workingHours: WorkingHours?
    package let holidays: String?
    package let outOfOffice: [Absence]
    package let status: Rep.Status
    /// How the rep wants alerts (`alerts:`); nil sends them to the target's own channel.
    package let alerts: AlertPreferences?
    /// Named accounts the rep owns (`accounts:`, account ids).
    package var accounts: [String] = []

    /// The 1-based lines of the entry's `id` and `holidays` keys, for messages about them.
    package let idLine: Int
    package let holidaysLine: Int?

    static let keys = [
        "id", "name", "email", "manager", "territories", "industries", "deal_size_tiers", "weight",
        "capacity", "time_zone", "working_hours", "holidays", "out_of_office", "status", "alerts", "accounts",
    ]
    /// The keys of one `out_of_office` period.
    static let absenceKeys = ["from", "to"]

    /// Reads one entry of `reps:`.
    static func read(_ item: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> RepSpec {
        let fields = try reader.entries(item, allowed: keys)
        guard let idEntry = fields["id"] else {
            throw reader.missing("id", in: item, hint: "Give each rep a short unique id, e.g. `id: ana`.")
        }
        let id = idEntry.isNull ? "" : try reader.text(idEntry)
        guard !id.isEmpty else { throw reader.invalid(idEntry, "rep id is empty; give each rep a short unique id, e.g. `ana`") }
        func list(_ name: String) throws(PlaybookError) -> [String] {
            try reader.given(fields, name).map(reader.texts) ?? ["*"]
        }
        let weight = try reader.given(fields, "weight").map(reader.wholeNumber) ?? 1
        if weight < 1, let entry = fields["weight"] {
            throw reader.invalid(
                entry, "weight \(weight) must be a whole number ≥ 1 (a rep who should get no leads takes `status: left` or `capacity: 0`)")
        }
        let capacity = try reader.given(fields, "capacity").map(reader.wholeNumber) ?? 50
        if capacity < 0, let entry = fields["capacity"] { throw reader.invalid(entry, "capacity \(capacity) must be ≥ 0 open hand-offs") }
        guard let zoneEntry = reader.given(fields, "time_zone") else {
            throw reader.missing("time_zone", in: item, hint: "Add `time_zone:` with the rep's IANA zone, e.g. `time_zone: Europe/Berlin`.")
        }
        let zone = try reader.text(zoneEntry)
        guard let timeZone = TimeZone(identifier: zone) else {
            throw reader.invalid(zoneEntry, "`\(zone)` is not a time zone; use an IANA name such as Europe/Berlin or America/New_York")
        }
        var outOfOffice: [Absence] = []
        if let entry = reader.given(fields, "out_of_office") {
            for period in try reader.items(entry) {
                let dates = try reader.entries(period, allowed: absenceKeys)
                guard let fromEntry = dates["from"], let toEntry = dates["to"] else {
                    throw reader.missing(
                        dates["from"] == nil ? "from" : "to", in: period, hint: "Give both dates, e.g. `{from: 2026-12-21, to: 2026-12-31}`.")
                }
                let absence = Absence(from: try LocalDate.read(fromEntry, reader: reader), to: try LocalDate.read(toEntry, reader: reader))
                guard absence.to >= absence.from else {
                    throw reader.invalid(period, "out-of-office period \(absence.from) … \(absence.to) ends before it starts; swap the dates")
                }
                outOfOffice.append(absence)
            }
        }
        var status = Rep.Status.active
        if let entry = reader.given(fields, "status") {
            let text = try reader.text(entry)
            guard let value = Rep.Status(rawValue: text) else { throw reader.invalid(entry, "status `\(text)` is unknown; use `active` or `left`") }
            status = value
        }
        let holidaysEntry = reader.given(fields, "holidays")
        var spec = RepSpec(
            id: id, name: try reader.given(fields, "name").map(reader.text) ?? id, email: try reader.given(fields, "email").map(reader.text) ?? "",
            manager: try reader.given(fields, "manager").map(reader.text), territories: try list("territories"),
            industries: try list("industries"), dealSizeTiers: try list("deal_size_tiers"), weight: weight, capacity: capacity,
            timeZone: timeZone,
            workingHours: try reader.given(fields, "working_hours").map { (entry) throws(PlaybookError) in
                try WorkingHours.read(entry, reader: reader)
            },
            holidays: try holidaysEntry.map(reader.text), outOfOffice: outOfOffice, status: status,
            alerts: try reader.given(fields, "alerts").map { (entry) throws(PlaybookError) in try AlertPreferences.read(entry, reader: reader) },
            idLine: idEntry.line,
            holidaysLine: holidaysEntry?.line)
        spec.accounts = try reader.given(fields, "accounts").map(reader.texts) ?? []
        return spec
    }

    /// The roster for these entries: holiday list names are looked up in `holidays` (the
    /// playbook's `sla.holidays`), missing working hours default to `defaultHours`.
    /// Throws on a duplicate id or an unknown holiday list, naming the rep.
    package static func resolve(
        _ specs: [RepSpec], holidays: [String: [LocalDate]], defaultHours: WorkingHours = .nineToFive, file: String = "playbook"
    ) throws(PlaybookError) -> RepRoster {
        var seen = Set<String>()
        var reps: [Rep] = []
        for (index, spec) in specs.enumerated() {
            guard seen.insert(spec.id).inserted else {
                throw .invalid(
                    file: file, line: spec.idLine, key: "reps[\(index)].id",
                    problem: "rep id `\(spec.id)` appears twice; give every rep a unique id")
            }
            var days = Set<LocalDate>()
            if let name = spec.holidays {
                guard let list = holidays[name] else {
                    let known = holidays.keys.sorted().joined(separator: ", ")
                    let fix = known.isEmpty ? "add `holidays: {\(name): [YYYY-MM-DD, …]}` under `sla:`" : "use one of: \(known)"
                    throw .invalid(
                        file: file, line: spec.holidaysLine ?? spec.idLine, key: "reps[\(index)].holidays",
                        problem: "rep `\(spec.id)` uses holiday list `\(name)`, which sla.holidays does not define; \(fix)")
                }
                days = Set(list)
            }
            let calendar = BusinessCalendar(timeZone: spec.timeZone, hours: spec.workingHours ?? defaultHours, holidays: days)
            var rep = Rep(
                id: spec.id, name: spec.name, email: spec.email, manager: spec.manager,
                territories: spec.territories, industries: spec.industries, dealSizeTiers: spec.dealSizeTiers,
                weight: spec.weight, capacity: spec.capacity, calendar: calendar,
                outOfOffice: spec.outOfOffice.map { absence(from: $0.from, to: $0.to, in: spec.timeZone) },
                status: spec.status, alerts: spec.alerts)
            rep.accounts = spec.accounts
            reps.append(rep)
        }
        return RepRoster(reps)
    }

    /// Start of `from` to the start of the day after `to`, in the rep's time zone.
    static func absence(from: LocalDate, to: LocalDate, in timeZone: TimeZone) -> DateInterval {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        func midnight(_ d: LocalDate) -> Date {
            calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day)) ?? Date(timeIntervalSince1970: 0)
        }
        return DateInterval(start: midnight(from), end: midnight(to.adding(days: 1)))
    }
}
