import LeadCSV

/// The least and greatest non-empty value of the spec's `time` column over the kept rows,
/// as written (for ISO 8601 timestamps of one format, byte order is time order).
package struct TimeWindow: Sendable, Equatable {
    package var from: String
    package var to: String

    package init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    /// The window of `times` at `rows`, nil when all of them are empty.
    package static func of(_ times: [String], rows: [Int]) -> TimeWindow? {
        var low: String?
        var high: String?
        for row in rows {
            let time = times[row]
            guard !time.isEmpty else { continue }
            if let current = low, !Self.precedes(time, current) {} else { low = time }
            if let current = high, !Self.precedes(current, time) {} else { high = time }
        }
        guard let low, let high else { return nil }
        return TimeWindow(from: low, to: high)
    }

    /// The window of a table's `time` column over `rows`: from its `.raw` cells when read, else
    /// from its `.bounds` when no row was dropped (bounds cover every row); nil otherwise.
    static func of(table: LeadTable, column: String?, rows: [Int]) -> TimeWindow? {
        guard let column else { return nil }
        if let raw = table.rawIfRead(column) { return of(raw.values, rows: rows) }
        if rows.count == table.rowCount, let bounds = table.boundsIfRead(column),
            let least = bounds.least, let greatest = bounds.greatest
        {
            return TimeWindow(from: least, to: greatest)
        }
        return nil
    }

    /// UTF-8 byte order, as ``BoundsColumn`` compares.
    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
