import Foundation

/// One entry of the playbook's `reps:` section as written, before holiday lists are looked up.
/// ``resolve(_:holidays:defaultHours:)`` turns the entries into a ``RepRoster``.
package struct RepSpec: Sendable, Hashable, Decodable {
    /// A half-open absence: from the start of `from` to the end of `to`, local dates, inclusive.
    package struct Absence: Sendable, Hashable, Decodable {
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

    static let keys = [
        "id", "name", "email", "manager", "territories", "industries", "deal_size_tiers", "weight",
        "capacity", "time_zone", "working_hours", "holidays", "out_of_office", "status",
    ]

    private enum Keys: String, CodingKey {
        case id, name, email, manager, territories, industries, weight, capacity, holidays, status
        case dealSizeTiers = "deal_size_tiers", timeZone = "time_zone", workingHours = "working_hours"
        case outOfOffice = "out_of_office"
    }

    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: RepSpec.keys)
        let c = try decoder.container(keyedBy: Keys.self)
        id = try c.decode(String.self, forKey: .id).trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty else { throw c.fail(.id, "rep id is empty; give each rep a short unique id, e.g. `ana`") }
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? id
        email = try c.decodeIfPresent(String.self, forKey: .email) ?? ""
        manager = try c.decodeIfPresent(String.self, forKey: .manager)
        territories = try c.decodeIfPresent([String].self, forKey: .territories) ?? ["*"]
        industries = try c.decodeIfPresent([String].self, forKey: .industries) ?? ["*"]
        dealSizeTiers = try c.decodeIfPresent([String].self, forKey: .dealSizeTiers) ?? ["*"]
        weight = try c.decodeIfPresent(Int.self, forKey: .weight) ?? 1
        guard weight >= 1 else {
            throw c.fail(.weight, "weight \(weight) must be a whole number ≥ 1 (a rep who should get no leads takes `status: left` or `capacity: 0`)")
        }
        capacity = try c.decodeIfPresent(Int.self, forKey: .capacity) ?? 50
        guard capacity >= 0 else { throw c.fail(.capacity, "capacity \(capacity) must be ≥ 0 open hand-offs") }
        let zone = try c.decode(String.self, forKey: .timeZone)
        guard let timeZone = TimeZone(identifier: zone) else {
            throw c.fail(.timeZone, "`\(zone)` is not a time zone; use an IANA name such as Europe/Berlin or America/New_York")
        }
        self.timeZone = timeZone
        workingHours = try c.decodeIfPresent(WorkingHours.self, forKey: .workingHours)
        holidays = try c.decodeIfPresent(String.self, forKey: .holidays)
        outOfOffice = try c.decodeIfPresent([Absence].self, forKey: .outOfOffice) ?? []
        for absence in outOfOffice where absence.to < absence.from {
            throw c.fail(.outOfOffice, "out-of-office period \(absence.from) … \(absence.to) ends before it starts; swap the dates")
        }
        let statusText = try c.decodeIfPresent(String.self, forKey: .status) ?? "active"
        guard let status = Rep.Status(rawValue: statusText) else {
            throw c.fail(.status, "status `\(statusText)` is unknown; use `active` or `left`")
        }
        self.status = status
    }

    /// The roster for these entries: holiday list names are looked up in `holidays` (the
    /// playbook's `sla.holidays`), missing working hours default to `defaultHours`.
    /// Throws on a duplicate id or an unknown holiday list, naming the rep.
    package static func resolve(
        _ specs: [RepSpec], holidays: [String: [LocalDate]], defaultHours: WorkingHours = .nineToFive
    ) throws(PlaybookSectionError) -> RepRoster {
        var seen = Set<String>()
        var reps: [Rep] = []
        for (index, spec) in specs.enumerated() {
            guard seen.insert(spec.id).inserted else {
                throw PlaybookSectionError(
                    section: "reps", keyPath: "reps[\(index)].id", line: nil,
                    problem: "rep id `\(spec.id)` appears twice", fix: "give every rep a unique id")
            }
            var days = Set<LocalDate>()
            if let name = spec.holidays {
                guard let list = holidays[name] else {
                    let known = holidays.keys.sorted().joined(separator: ", ")
                    throw PlaybookSectionError(
                        section: "reps", keyPath: "reps[\(index)].holidays", line: nil,
                        problem: "rep `\(spec.id)` uses holiday list `\(name)`, which sla.holidays does not define",
                        fix: known.isEmpty ? "add `holidays: {\(name): [YYYY-MM-DD, …]}` under `sla:`" : "use one of: \(known)")
                }
                days = Set(list)
            }
            let calendar = BusinessCalendar(timeZone: spec.timeZone, hours: spec.workingHours ?? defaultHours, holidays: days)
            reps.append(
                Rep(
                    id: spec.id, name: spec.name, email: spec.email, manager: spec.manager,
                    territories: spec.territories, industries: spec.industries, dealSizeTiers: spec.dealSizeTiers,
                    weight: spec.weight, capacity: spec.capacity, calendar: calendar,
                    outOfOffice: spec.outOfOffice.map { absence(from: $0.from, to: $0.to, in: spec.timeZone) },
                    status: spec.status))
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
