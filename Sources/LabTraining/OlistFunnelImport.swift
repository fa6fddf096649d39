import Foundation
import LeadTable

/// One marketing-qualified lead of the Olist funnel after the join with the closed deals.
public struct OlistLead: Sendable, Equatable {
    /// The 32-hex MQL id (trimmed).
    public var mqlID: String
    /// `first_contact_date` as written (`YYYY-MM-DD`): the day the lead asked to be contacted.
    public var firstContactDate: String
    /// `first_contact_date` in days since 1970-01-01.
    public var firstContactDay: Int
    /// The landing page the lead came through.
    public var landingPageID: String
    /// The marketing origin; empty when the file leaves it empty.
    public var origin: String
    /// True when the MQL id appears in the closed deals.
    public var won: Bool
    /// Won only: whole days from the first-contact date to the date part of `won_date` (nil
    /// when `won_date` is empty or not a date).
    public var daysToWin: Int?
    /// 1-based line of the lead in the MQL file.
    public var line: Int

    /// Day of week of the first contact, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public var weekday: Int { ((firstContactDay + 3) % 7 + 7) % 7 + 1 }
    /// Month of the first contact, 1…12.
    public var month: Int { Int(firstContactDate.dropFirst(5).prefix(2)) ?? 0 }
    /// Calendar quarter of the year of the first contact, 1…4.
    public var quarterOfYear: Int { (month - 1) / 3 + 1 }
}

/// A closed deal whose MQL id is not in the MQL file (or appears twice in the deals file).
public struct OlistDealRow: Sendable, Equatable {
    public var mqlID: String
    /// 1-based line in the closed-deals file.
    public var line: Int
    public init(mqlID: String, line: Int) {
        self.mqlID = mqlID
        self.line = line
    }
}

/// The MQLs joined with the closed deals: one lead per MQL, won when its id is in the deals.
public struct OlistFunnel: Sendable {
    public var mqlFile: String
    public var dealsFile: String
    /// The leads in the MQL file's row order.
    public var leads: [OlistLead]
    /// Data rows in the closed-deals file.
    public var dealRows: Int
    /// Deals whose MQL id is not in the MQL file (empty ids included): not joined, reported.
    public var unmatchedDeals: [OlistDealRow]
    /// Deal rows repeating an MQL id already seen in the deals file: the lead counts as won once.
    public var repeatedDeals: [OlistDealRow]

    /// Number of won leads.
    public var wins: Int { leads.reduce(0) { $0 + ($1.won ? 1 : 0) } }

    /// Days from first contact to win, sorted, over the wins with a readable `won_date`.
    public var sortedDaysToWin: [Int] { leads.compactMap(\.daysToWin).sorted() }

    /// The `p`-quantile (0…1) of days to win by the nearest-rank rule: the smallest lag with at
    /// least `p` of the wins at or below it. Nil when no win has a readable `won_date`.
    public func daysToWinQuantile(_ p: Double) -> Int? {
        precondition(p >= 0 && p <= 1, "quantile p must be in 0…1")
        let lags = sortedDaysToWin
        guard !lags.isEmpty else { return nil }
        let rank = max(1, Int((p * Double(lags.count)).rounded(.up)))
        return lags[min(rank, lags.count) - 1]
    }

    /// Share of the wins (with a readable `won_date`) that came within `days` days of first contact.
    public func shareOfWins(within days: Int) -> Double {
        let lags = sortedDaysToWin
        guard !lags.isEmpty else { return 0 }
        return Double(lags.filter { $0 <= days }.count) / Double(lags.count)
    }
}

/// Reads the Olist "Marketing Funnel" files (Kaggle `olistbr/marketing-funnel-olist`) and joins
/// them into one lead table for the lab: `baton import olist`.
///
/// MQL file columns used: `mql_id`, `first_contact_date` (`YYYY-MM-DD`), `landing_page_id`,
/// `origin`. Closed-deals columns used: `mql_id`, `won_date` (`YYYY-MM-DD HH:MM:SS`, only for the
/// days-to-win summary). Other columns are ignored: the closed-deals details (segment, lead type,
/// SDR) exist only for won leads, so using them as features would leak the outcome.
public enum OlistFunnelImport {
    public static let mqlIDColumn = "mql_id"
    public static let firstContactColumn = "first_contact_date"
    public static let landingPageColumn = "landing_page_id"
    public static let originColumn = "origin"
    public static let wonDateColumn = "won_date"

    /// Joins the MQL file with the closed-deals file.
    ///
    /// - Throws: ``OlistImportError`` for an unreadable file, a missing column, an empty or
    ///   duplicate MQL id, or a first-contact date that is not `YYYY-MM-DD`. Deals whose MQL id is
    ///   unknown do not stop the import; they are listed in ``OlistFunnel/unmatchedDeals``.
    public static func join(mqls: URL, deals: URL) throws(OlistImportError) -> OlistFunnel {
        let mqlTable = try read(mqls, columns: [mqlIDColumn, firstContactColumn, landingPageColumn, originColumn],
                                role: "the MQL file")
        let dealTable = try readDeals(deals)

        var wonDay: [String: Int?] = [:]
        var unmatched: [OlistDealRow] = []
        var repeated: [OlistDealRow] = []
        let dealIDs = dealTable.ids, wonDates = dealTable.wonDates
        for row in 0..<dealTable.rowCount {
            let id = dealIDs[row]
            if wonDay[id] != nil {
                repeated.append(OlistDealRow(mqlID: id, line: dealTable.lineOfRow[row]))
                continue
            }
            wonDay[id] = .some(day(of: String(wonDates[row].prefix(10))))
        }

        let ids = mqlTable.text(mqlIDColumn), dates = mqlTable.text(firstContactColumn)
        let pages = mqlTable.text(landingPageColumn), origins = mqlTable.text(originColumn)
        var firstLine: [String: Int] = [:]
        var leads: [OlistLead] = []
        leads.reserveCapacity(mqlTable.rowCount)
        for row in 0..<mqlTable.rowCount {
            let line = mqlTable.lineOfRow[row]
            let id = ids[row]
            guard !id.isEmpty else { throw .emptyMQLID(file: mqlTable.file, line: line, column: mqlIDColumn) }
            if let first = firstLine[id] {
                throw .duplicateMQL(file: mqlTable.file, line: line, firstLine: first, mqlID: id)
            }
            firstLine[id] = line
            let date = dates[row]
            guard date.utf8.count == 10, let contactDay = day(of: date) else {
                throw .badDate(file: mqlTable.file, line: line, column: firstContactColumn, value: date)
            }
            let deal = wonDay[id]
            leads.append(OlistLead(
                mqlID: id, firstContactDate: date, firstContactDay: contactDay, landingPageID: pages[row],
                origin: origins[row], won: deal != nil, daysToWin: deal.flatMap { $0 }.map { $0 - contactDay }, line: line))
        }
        for row in 0..<dealTable.rowCount where firstLine[dealIDs[row]] == nil {
            unmatched.append(OlistDealRow(mqlID: dealIDs[row], line: dealTable.lineOfRow[row]))
        }
        // A repeated id of an unknown MQL is already reported as unmatched.
        repeated.removeAll { firstLine[$0.mqlID] == nil }
        return OlistFunnel(mqlFile: mqlTable.file, dealsFile: dealTable.file, leads: leads, dealRows: dealTable.rowCount,
                           unmatchedDeals: unmatched, repeatedDeals: repeated)
    }

    /// The closed deals' ids and won dates; a file with a header and no rows is zero deals.
    static func readDeals(_ url: URL) throws(OlistImportError) -> (file: String, rowCount: Int, ids: [String], wonDates: [String], lineOfRow: [Int]) {
        let columns = [mqlIDColumn, wonDateColumn]
        do {
            let table = try LeadTableReader.read(url: url, columns: columns.map { .text($0) })
            let ids = table.text(mqlIDColumn), dates = table.text(wonDateColumn)
            return (table.file, table.rowCount, (0..<table.rowCount).map { ids[$0] }, (0..<table.rowCount).map { dates[$0] }, table.lineOfRow)
        } catch {
            if case let .noDataRows(file, header) = error {
                if let absent = columns.first(where: { !header.contains($0) }) {
                    throw .missingColumn(file: file, column: absent, role: "needed from the closed-deals file", suggestions: [], header: header)
                }
                return (file, 0, [], [], [])
            }
            if case let .unknownColumn(file, column, suggestions, header) = error {
                throw .missingColumn(file: file, column: column, role: "needed from the closed-deals file", suggestions: suggestions, header: header)
            }
            throw .table(error)
        }
    }

    static func read(_ url: URL, columns: [String], role: String) throws(OlistImportError) -> LeadTable {
        do {
            return try LeadTableReader.read(url: url, columns: columns.map { .text($0) })
        } catch {
            if case let .unknownColumn(file, column, suggestions, header) = error {
                throw .missingColumn(file: file, column: column, role: "needed from \(role)", suggestions: suggestions, header: header)
            }
            throw .table(error)
        }
    }

    /// Days since 1970-01-01 of `YYYY-MM-DD`, or nil when it is not a real calendar date.
    static func day(of text: String) -> Int? {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for k in range {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                value = value * 10 + Int(b[k] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        guard day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] else { return nil }
        return SyntheticLeads.daysFromCivil(year: year, month: month, day: day)
    }
}
