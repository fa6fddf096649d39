import BatonSupport
import Foundation
import LeadCSV

/// One marketing-qualified lead of the Olist funnel after the join with the closed deals.
package struct OlistLead: Sendable, Equatable {
    /// The 32-hex MQL id (trimmed).
    package var mqlID: String
    /// `first_contact_date` as written (`YYYY-MM-DD`): the day the lead asked to be contacted.
    package var firstContactDate: String
    /// `first_contact_date` in days since 1970-01-01.
    package var firstContactDay: Int
    /// The landing page the lead came through.
    package var landingPageID: String
    /// The marketing origin; empty when the file leaves it empty.
    package var origin: String
    /// True when the MQL id appears in the closed deals.
    package var won: Bool
    /// Won only: whole days from the first-contact date to the date part of `won_date` (nil
    /// when `won_date` is empty or not a date).
    package var daysToWin: Int?
    /// 1-based line of the lead in the MQL file.
    package var line: Int
    /// The closed deal of a won lead (its first row when the deals file repeats the id).
    package var deal: OlistDeal? = nil

    /// Day of week of the first contact, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    package var weekday: Int { ((firstContactDay + 3) % 7 + 7) % 7 + 1 }
    /// Month of the first contact, 1…12.
    package var month: Int { Int(firstContactDate.dropFirst(5).prefix(2)) ?? 0 }
    /// Calendar quarter of the year of the first contact, 1…4.
    package var quarterOfYear: Int { (month - 1) / 3 + 1 }
}

/// A closed deal whose MQL id is not in the MQL file (or appears twice in the deals file).
package struct OlistDealRow: Sendable, Equatable {
    package var mqlID: String
    /// 1-based line in the closed-deals file.
    package var line: Int
    package init(mqlID: String, line: Int) {
        self.mqlID = mqlID
        self.line = line
    }
}

/// The MQLs joined with the closed deals: one lead per MQL, won when its id is in the deals.
package struct OlistFunnel: Sendable {
    package var mqlFile: String
    package var dealsFile: String
    /// The leads in the MQL file's row order.
    package var leads: [OlistLead]
    /// Data rows in the closed-deals file.
    package var dealRows: Int
    /// Deals whose MQL id is not in the MQL file (empty ids included): not joined, reported.
    package var unmatchedDeals: [OlistDealRow]
    /// Deal rows repeating an MQL id already seen in the deals file: the lead counts as won once.
    package var repeatedDeals: [OlistDealRow]

    /// Number of won leads.
    package var wins: Int { leads.reduce(0) { $0 + ($1.won ? 1 : 0) } }

    /// Days from first contact to win, sorted, over the wins with a readable `won_date`.
    package var sortedDaysToWin: [Int] { leads.compactMap(\.daysToWin).sorted() }

    /// The `p`-quantile (0…1) of days to win by the nearest-rank rule: the smallest lag with at
    /// least `p` of the wins at or below it. Nil when no win has a readable `won_date`.
    package func daysToWinQuantile(_ p: Double) -> Int? {
        precondition(p >= 0 && p <= 1, "quantile p must be in 0…1")
        let lags = sortedDaysToWin
        guard !lags.isEmpty else { return nil }
        let rank = max(1, (p * Double(lags.count)).clampedInt(.up, in: 0...lags.count))
        return lags[min(rank, lags.count) - 1]
    }

    /// Share of the wins (with a readable `won_date`) that came within `days` days of first contact.
    package func shareOfWins(within days: Int) -> Double {
        let lags = sortedDaysToWin
        guard !lags.isEmpty else { return 0 }
        return Double(lags.filter { $0 <= days }.count) / Double(lags.count)
    }
}

/// The one reader of the Olist "Marketing Funnel" files (Kaggle `olistbr/marketing-funnel-olist`):
/// it joins them into leads for the lab (`baton import olist`) and for the hand-off store
/// (`baton import olist-funnel`, in ClosedLoopAnalytics). Both files are read with LeadTable.
///
/// MQL file columns used: `mql_id`, `first_contact_date` (`YYYY-MM-DD`), `landing_page_id`,
/// `origin`. Closed-deals columns used: `mql_id`, `won_date` (`YYYY-MM-DD HH:MM:SS`), and with
/// `dealDetails` the SDR/SR ids, segment, revenue and profile columns. For the lab the details
/// are never features: they exist only for won leads, so they would leak the outcome.
package enum OlistFunnelImport {
    package static let mqlIDColumn = "mql_id"
    package static let firstContactColumn = "first_contact_date"
    package static let landingPageColumn = "landing_page_id"
    package static let originColumn = "origin"
    package static let wonDateColumn = "won_date"
    /// Deal columns read when details are asked for; each must be in the header.
    package static let dealDetailColumns = ["sdr_id", "sr_id", "business_segment", "declared_monthly_revenue"]
    /// Deal columns read when details are asked for and the header has them.
    package static let optionalDealDetailColumns = ["lead_type", "lead_behaviour_profile", "business_type"]

    /// Joins the MQL file with the closed-deals file.
    ///
    /// - Parameter dealDetails: also read ``dealDetailColumns`` (required) and
    ///   ``optionalDealDetailColumns`` (when present) into each ``OlistDeal/details``.
    /// - Throws: ``OlistImportError`` for an unreadable file, a missing column, an empty or
    ///   duplicate MQL id, or a first-contact date that is not `YYYY-MM-DD`. Deals whose MQL id is
    ///   unknown do not stop the join; they are listed in ``OlistFunnel/unmatchedDeals`` (and
    ///   repeated ids in ``OlistFunnel/repeatedDeals``) for the caller to report or refuse.
    package static func join(mqls: URL, deals: URL, dealDetails: Bool = false) throws(OlistImportError) -> OlistFunnel {
        let mqlTable = try read(
            mqls, columns: [mqlIDColumn, firstContactColumn, landingPageColumn, originColumn],
            role: "the MQL file")
        let dealRows = try readDeals(deals, details: dealDetails)

        var dealOf: [String: OlistDeal] = [:]
        var unmatched: [OlistDealRow] = []
        var repeated: [OlistDealRow] = []
        for deal in dealRows.deals {
            if dealOf[deal.mqlID] != nil {
                repeated.append(OlistDealRow(mqlID: deal.mqlID, line: deal.line))
                continue
            }
            dealOf[deal.mqlID] = deal
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
            let deal = dealOf[id]
            leads.append(
                OlistLead(
                    mqlID: id, firstContactDate: date, firstContactDay: contactDay, landingPageID: pages[row],
                    origin: origins[row], won: deal != nil, daysToWin: deal?.wonDay.map { $0 - contactDay }, line: line,
                    deal: deal))
        }
        for deal in dealRows.deals where firstLine[deal.mqlID] == nil {
            unmatched.append(OlistDealRow(mqlID: deal.mqlID, line: deal.line))
        }
        // A repeated id of an unknown MQL is already reported as unmatched.
        repeated.removeAll { firstLine[$0.mqlID] == nil }
        return OlistFunnel(
            mqlFile: mqlTable.file, dealsFile: dealRows.file, leads: leads, dealRows: dealRows.deals.count,
            unmatchedDeals: unmatched, repeatedDeals: repeated)
    }

    /// The closed deals, one per data row; a file with a header and no rows is zero deals.
    static func readDeals(_ url: URL, details: Bool) throws(OlistImportError) -> (file: String, deals: [OlistDeal]) {
        let required = [mqlIDColumn, wonDateColumn] + (details ? dealDetailColumns : [])
        var optional = details ? optionalDealDetailColumns : []
        while true {
            let columns = required + optional
            do {
                let table = try LeadTableReader.read(url: url, columns: columns.map { .text($0) })
                let ids = table.text(mqlIDColumn), dates = table.text(wonDateColumn)
                let detail = columns.dropFirst(2).map { ($0, table.text($0)) }
                let deals = (0..<table.rowCount).map { row in
                    let won = dates[row]
                    return OlistDeal(
                        mqlID: ids[row], line: table.lineOfRow[row], wonDate: won,
                        wonDay: day(of: String(won.prefix(10))), wonSecond: second(of: won),
                        details: Dictionary(uniqueKeysWithValues: detail.map { ($0.0, $0.1[row]) }))
                }
                return (table.file, deals)
            } catch {
                if case let .noDataRows(file, header) = error {
                    if let absent = required.first(where: { !header.contains($0) }) {
                        throw .missingColumn(file: file, column: absent, role: "needed from the closed-deals file", suggestions: [], header: header)
                    }
                    return (file, [])
                }
                if case let .unknownColumn(file, column, suggestions, header) = error {
                    // An optional detail the export lacks: read again without it (rare; the Kaggle files have them all).
                    if let index = optional.firstIndex(of: column) {
                        optional.remove(at: index)
                        continue
                    }
                    throw .missingColumn(
                        file: file, column: column, role: "needed from the closed-deals file", suggestions: suggestions, header: header)
                }
                throw .table(error)
            }
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

    /// UTC seconds of `YYYY-MM-DD HH:MM:SS` (a real date, 00…23, 00…59, 00…59), or nil.
    static func second(of text: String) -> Int? {
        let b = Array(text.utf8)
        guard b.count == 19, b[10] == 32, b[13] == 58, b[16] == 58, let day = day(of: String(text.prefix(10))) else { return nil }
        func number(_ at: Int) -> Int? {
            guard (48...57).contains(b[at]), (48...57).contains(b[at + 1]) else { return nil }
            return Int(b[at] - 48) * 10 + Int(b[at + 1] - 48)
        }
        guard let h = number(11), let m = number(14), let s = number(17), h < 24, m < 60, s < 60 else { return nil }
        return day * 86_400 + h * 3_600 + m * 60 + s
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
            (1...12).contains(month), day >= 1
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        guard day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] else { return nil }
        return CivilDate.days(year: year, month: month, day: day)
    }
}
