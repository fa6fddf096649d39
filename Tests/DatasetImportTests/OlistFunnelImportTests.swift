import Foundation
import LabTraining
import ScoringModelFormat
import TestSupport
import Testing

@testable import DatasetImport

/// The Olist join against an independent plain reading of the files, and its error paths on
/// small hand-written files.
@Suite struct OlistFunnelImportTests {
    /// Data lines of a CSV file split on newlines, header dropped (the Olist files use `\n`).
    static func dataLines(_ url: URL) throws -> [Substring] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { $0 }
    }

    @Test func realFilesJoinToTheIndependentCounts() throws {
        let funnel = try OlistFunnelImport.join(mqls: SharedData.olistLeads, deals: SharedData.olistDeals)
        // Independent reading: the MQL file has no quoted fields; the deals file quotes some later
        // fields ("cat, wolf"), but mql_id is its first column, so the text before the first comma.
        let mqlRows = try Self.dataLines(SharedData.olistLeads).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let dealIDs = Set(try Self.dataLines(SharedData.olistDeals).map { String($0.prefix { $0 != "," }) })
        #expect(mqlRows.allSatisfy { $0.count == 4 })
        let expectedWins = mqlRows.filter { dealIDs.contains(String($0[0])) }.count
        #expect(funnel.leads.count == mqlRows.count)
        #expect(funnel.leads.count == 8000)  // PROVENANCE.md
        #expect(funnel.wins == expectedWins)
        #expect(funnel.wins == 842)  // PROVENANCE.md: all 842 deals match an MQL
        #expect(funnel.dealRows == dealIDs.count)
        #expect(funnel.unmatchedDeals.isEmpty && funnel.repeatedDeals.isEmpty)
        #expect(funnel.leads.filter { $0.origin.isEmpty }.count == mqlRows.filter { $0[3].isEmpty }.count)
        #expect(funnel.leads.filter { $0.origin.isEmpty }.count == 60)
        for (lead, row) in zip(funnel.leads, mqlRows) {
            #expect(lead.mqlID == String(row[0]) && lead.firstContactDate == String(row[1]) && lead.landingPageID == String(row[2]))
            #expect(lead.won == dealIDs.contains(lead.mqlID))
        }
    }

    @Test func calendarFeaturesAgreeWithFoundation() throws {
        let funnel = try OlistFunnelImport.join(mqls: SharedData.olistLeads, deals: SharedData.olistDeals)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        for lead in funnel.leads {
            let date = try #require(formatter.date(from: lead.firstContactDate))
            // Foundation: 1 = Sunday … 7 = Saturday; ours: 1 = Monday … 7 = Sunday.
            let foundationWeekday = calendar.component(.weekday, from: date)
            #expect(lead.weekday == (foundationWeekday + 5) % 7 + 1, "\(lead.firstContactDate)")
            #expect(lead.month == calendar.component(.month, from: date))
            #expect(lead.firstContactDay == Int(date.timeIntervalSince1970 / 86_400))
        }
        #expect(funnel.leads.first?.firstContactDate == "2018-02-01")
        #expect(funnel.leads.first?.weekday == 4)  // 2018-02-01 was a Thursday
    }

    @Test func daysToWinMatchAPlainReading() throws {
        let funnel = try OlistFunnelImport.join(mqls: SharedData.olistLeads, deals: SharedData.olistDeals)
        var contact: [String: Date] = [:]
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        for row in try Self.dataLines(SharedData.olistLeads) {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            contact[String(cells[0])] = formatter.date(from: String(cells[1]))
        }
        var lags: [Int] = []
        for row in try Self.dataLines(SharedData.olistDeals) {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            let won = try #require(formatter.date(from: String(cells[4].prefix(10))))
            let start = try #require(contact[String(cells[0])])
            lags.append(Int((won.timeIntervalSince(start) / 86_400).rounded()))
        }
        lags.sort()
        #expect(funnel.sortedDaysToWin == lags)
        #expect(lags.first == -2)  // PROVENANCE.md: one deal is won two days before first contact
        #expect(funnel.daysToWinQuantile(0.5) == lags[(lags.count + 1) / 2 - 1])
        #expect(funnel.daysToWinQuantile(0.5) == 14)  // PROVENANCE.md: median 14 days
    }

    @Test func nearestRankQuantileByHand() {
        var funnel = OlistFunnel(mqlFile: "m", dealsFile: "d", leads: [], dealRows: 0, unmatchedDeals: [], repeatedDeals: [])
        #expect(funnel.daysToWinQuantile(0.5) == nil)
        for (i, lag) in [30, 10, 20, 40].enumerated() {
            funnel.leads.append(
                OlistLead(
                    mqlID: "\(i)", firstContactDate: "2018-01-01", firstContactDay: 0,
                    landingPageID: "p", origin: "o", won: true, daysToWin: lag, line: i + 2))
        }
        // Nearest rank ⌈p·n⌉ of 10, 20, 30, 40.
        #expect(funnel.daysToWinQuantile(0) == 10)
        #expect(funnel.daysToWinQuantile(0.25) == 10)
        #expect(funnel.daysToWinQuantile(0.5) == 20)
        #expect(funnel.daysToWinQuantile(0.51) == 30)
        #expect(funnel.daysToWinQuantile(1) == 40)
        #expect(funnel.shareOfWins(within: 25) == 0.5)
    }

    // MARK: small files

    static func files(mqls: String, deals: String) throws -> (URL, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("olist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let m = dir.appendingPathComponent("mqls.csv"), d = dir.appendingPathComponent("deals.csv")
        try Data(mqls.utf8).write(to: m)
        try Data(deals.utf8).write(to: d)
        return (m, d)
    }

    static let header = "mql_id,first_contact_date,landing_page_id,origin\n"
    static let dealHeader = "mql_id,seller_id,won_date,lead_behaviour_profile\n"

    @Test func unknownAndRepeatedDealsAreCountedNotFatal() throws {
        let (m, d) = try Self.files(
            mqls: Self.header + "a,2018-01-01,p1,social\nb,2018-01-06,p1,\nc,2018-03-31,p2,email\n",
            deals: Self.dealHeader
                + "b,s1,2018-01-20 10:00:00,\"cat, wolf\"\nzz,s2,2018-02-01 00:00:00,cat\nb,s3,2018-02-02 00:00:00,cat\n,s4,2018-02-03 00:00:00,cat\n"
        )
        let funnel = try OlistFunnelImport.join(mqls: m, deals: d)
        #expect(funnel.leads.map(\.won) == [false, true, false])
        #expect(funnel.wins == 1)
        #expect(funnel.unmatchedDeals == [OlistDealRow(mqlID: "zz", line: 3), OlistDealRow(mqlID: "", line: 5)])
        #expect(funnel.repeatedDeals == [OlistDealRow(mqlID: "b", line: 4)])
        #expect(funnel.leads[1].daysToWin == 14)
        #expect(funnel.leads.map(\.weekday) == [1, 6, 6])  // Mon 2018-01-01, Sat 2018-01-06, Sat 2018-03-31
        let csv = funnel.csv()
        #expect(
            csv == """
                mql_id,first_contact_date,origin,landing_page_id,contact_weekday,contact_month,contact_quarter,won
                a,2018-01-01,social,p1,1-Mon,01-Jan,Q1,0
                b,2018-01-06,,p1,6-Sat,01-Jan,Q1,1
                c,2018-03-31,email,p2,6-Sat,03-Mar,Q1,0

                """)
    }

    @Test func dealDetailsAndWonTimesForTheStoreImport() throws {
        let (m, d) = try Self.files(
            mqls: Self.header + "a,2018-01-01,p1,social\nb,2018-01-06,p1,\n",
            deals: "mql_id,sdr_id,sr_id,won_date,business_segment,declared_monthly_revenue,lead_behaviour_profile\n"
                + "b,s1,r1,2018-01-20 10:11:12,pet,\"1,5\",cat\na,s2,r2,2018-02-30 00:00:00,,,\n")
        let plain = try OlistFunnelImport.join(mqls: m, deals: d)
        #expect(plain.leads.compactMap(\.deal).allSatisfy { $0.details.isEmpty })
        let funnel = try OlistFunnelImport.join(mqls: m, deals: d, dealDetails: true)
        let b = try #require(funnel.leads[1].deal)
        // 2018-01-20 is day 17551 (2018-01-01 = 17532); + 10:11:12.
        #expect(b.wonDay == 17_551 && b.wonSecond == 17_551 * 86_400 + 36_672 && b.line == 2)
        #expect(
            b.details == [
                "sdr_id": "s1", "sr_id": "r1", "business_segment": "pet", "declared_monthly_revenue": "1,5",
                "lead_behaviour_profile": "cat",
            ])
        // A won date that is not a calendar date: a win without a lag or a time.
        let a = try #require(funnel.leads[0].deal)
        #expect(funnel.leads[0].won && a.wonDay == nil && a.wonSecond == nil && funnel.leads[0].daysToWin == nil)
        // Required details are required only when asked for.
        let (m2, d2) = try Self.files(mqls: Self.header + "a,2018-01-01,p1,social\n", deals: Self.dealHeader)
        #expect(try OlistFunnelImport.join(mqls: m2, deals: d2).dealRows == 0)
        #expect(
            throws: OlistImportError.missingColumn(
                file: d2.path, column: "sdr_id", role: "needed from the closed-deals file",
                suggestions: [], header: ["mql_id", "seller_id", "won_date", "lead_behaviour_profile"])
        ) {
            try OlistFunnelImport.join(mqls: m2, deals: d2, dealDetails: true)
        }
    }

    @Test(arguments: [
        ("2018-01-20 10:11:12", 17_551 * 86_400 + 36_672), ("1970-01-01 00:00:00", 0), ("2016-02-29 23:59:59", 16_860 * 86_400 + 86_399),
    ])
    func wonSeconds(text: String, expected: Int) {
        #expect(OlistFunnelImport.second(of: text) == expected)
    }

    @Test(arguments: ["2018-01-20", "2018-01-20T10:11:12", "2018-01-20 24:00:00", "2018-01-20 10:60:00", "2017-02-29 10:00:00", "2018-01-20 1:11:12"])
    func badWonSeconds(text: String) {
        #expect(OlistFunnelImport.second(of: text) == nil)
    }

    @Test func specNamesTheTimeColumnAndMergesRarePages() throws {
        let (m, d) = try Self.files(
            mqls: Self.header + "a,2018-01-01,p1,social\nb,2018-01-06,p1,\nc,2018-03-31,p2,social\n",
            deals: Self.dealHeader + "b,s1,2018-01-20 10:00:00,cat\n")
        let funnel = try OlistFunnelImport.join(mqls: m, deals: d)
        let spec = try ScoringSpec.parse(yaml: funnel.specYAML(landingPageMinCount: 2), file: "olist.spec.yaml")
        #expect(spec.time == "first_contact_date")
        #expect(spec.id == "mql_id")
        #expect(spec.outcome == OutcomeSpec(column: "won", positive: ["1"]))
        #expect(spec.features.map(\.column) == ["origin", "landing_page_id", "contact_weekday"])
        #expect(spec.features[0].baseline == "social")
        #expect(spec.features[1].minCount == 2 && spec.features[1].baseline == "Other")
        let unmerged = try ScoringSpec.parse(yaml: funnel.specYAML(landingPageMinCount: 1), file: "olist.spec.yaml")
        #expect(unmerged.features[1].baseline == nil)
    }

    @Test func duplicateMQLIDStopsWithBothLines() throws {
        let (m, d) = try Self.files(
            mqls: Self.header + "a,2018-01-01,p1,social\nb,2018-01-02,p1,\na,2018-01-03,p2,email\n",
            deals: Self.dealHeader)
        #expect(throws: OlistImportError.duplicateMQL(file: m.path, line: 4, firstLine: 2, mqlID: "a")) {
            try OlistFunnelImport.join(mqls: m, deals: d)
        }
        let message = OlistImportError.duplicateMQL(file: "m.csv", line: 4, firstLine: 2, mqlID: "a").description
        #expect(message.contains("m.csv line 4") && message.contains("line 2") && message.contains("remove"))
    }

    @Test func renamedColumnNamesFileHeaderAndFix() throws {
        let (m, d) = try Self.files(
            mqls: "mql_id,first_contact_date,landing_page_id,Origin\na,2018-01-01,p1,social\n",
            deals: Self.dealHeader)
        do {
            _ = try OlistFunnelImport.join(mqls: m, deals: d)
            Issue.record("a renamed column must stop the import")
        } catch {
            guard case let .missingColumn(file, column, _, suggestions, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(file == m.path && column == "origin" && suggestions == ["Origin"])
            #expect(error.description.contains("line 1 (header)") && error.description.contains("rename the column back"))
        }
        let (m2, d2) = try Self.files(mqls: Self.header + "a,2018-01-01,p1,social\n", deals: "mql_id,won\na,1\n")
        #expect(throws: OlistImportError.self) { try OlistFunnelImport.join(mqls: m2, deals: d2) }
    }

    @Test(arguments: ["02/01/2018", "2018-02-30", "2018-2-1", "", "2018-02-01 10:00:00"])
    func badFirstContactDateNamesTheLine(value: String) throws {
        let (m, d) = try Self.files(mqls: Self.header + "a,2018-01-01,p1,social\nb,\(value),p1,social\n", deals: Self.dealHeader)
        #expect(throws: OlistImportError.badDate(file: m.path, line: 3, column: "first_contact_date", value: value)) {
            try OlistFunnelImport.join(mqls: m, deals: d)
        }
    }

    @Test func headerOnlyDealsFileIsZeroDeals() throws {
        let (m, d) = try Self.files(mqls: Self.header + "a,2018-01-01,p1,social\n", deals: Self.dealHeader)
        let funnel = try OlistFunnelImport.join(mqls: m, deals: d)
        #expect(funnel.leads.count == 1 && funnel.wins == 0 && funnel.dealRows == 0)
        let (m2, d2) = try Self.files(mqls: Self.header + "a,2018-01-01,p1,social\n", deals: "mql_id,seller_id\n")
        #expect(
            throws: OlistImportError.missingColumn(
                file: d2.path, column: "won_date", role: "needed from the closed-deals file",
                suggestions: [], header: ["mql_id", "seller_id"])
        ) {
            try OlistFunnelImport.join(mqls: m2, deals: d2)
        }
    }

    @Test func emptyMQLIDStops() throws {
        let (m, d) = try Self.files(mqls: Self.header + "a,2018-01-01,p1,social\n,2018-01-01,p1,social\n", deals: Self.dealHeader)
        #expect(throws: OlistImportError.emptyMQLID(file: m.path, line: 3, column: "mql_id")) {
            try OlistFunnelImport.join(mqls: m, deals: d)
        }
    }

    @Test func importedTableFitsWithTheLab() throws {
        let funnel = try OlistFunnelImport.join(mqls: SharedData.olistLeads, deals: SharedData.olistDeals)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("olist-fit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let csv = dir.appendingPathComponent("leads.csv"), spec = dir.appendingPathComponent("olist.spec.yaml")
        try funnel.write(csv: csv, spec: spec, landingPageMinCount: 100)
        let run = try CalibrationLab.fit(data: csv, spec: spec, penalty: nil)
        #expect(run.fit.converged)
        // 11 pages with ≥ 100 MQLs (from the plain count below) + 10 non-baseline origins (11 levels
        // with Missing) + 6 weekdays + intercept.
        var pageCounts: [Substring: Int] = [:]
        for row in try Self.dataLines(SharedData.olistLeads) {
            pageCounts[row.split(separator: ",", omittingEmptySubsequences: false)[2], default: 0] += 1
        }
        let keptPages = pageCounts.values.filter { $0 >= 100 }.count
        #expect(keptPages == 11)
        #expect(run.weightFile.model.count == 1 + 10 + keptPages + 6)
    }
}
