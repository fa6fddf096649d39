import Foundation
import TestSupport
import Testing

/// `baton import olist` end to end: counts against a plain reading of the files, the lab fits
/// the output, and bad input exits with a message that names the file, line and column.
@Suite struct ImportOlistTests {
    @Test func importsTheRealFilesAndFitRunsOnTheOutput() async throws {
        let dir = try CLI.scratch()
        let result = try await CLI.run(
            [
                "import", "olist", "--mqls", SharedData.olistLeads.path, "--deals", SharedData.olistDeals.path,
                "--out", "leads.csv", "--spec-out", "olist.spec.yaml",
            ], in: dir)
        try #require(result.exitCode == 0, "\(result.stderr)")

        // Independent counts: MQL lines (no quoted fields) and deal ids (the text before the first comma).
        let mqlLines = try String(contentsOf: SharedData.olistLeads, encoding: .utf8).split(separator: "\n").dropFirst()
        let dealIDs = Set(
            try String(contentsOf: SharedData.olistDeals, encoding: .utf8).split(separator: "\n").dropFirst()
                .map { String($0.prefix { $0 != "," }) })
        let wins = mqlLines.filter { dealIDs.contains(String($0.prefix { $0 != "," })) }.count
        #expect(result.stdout.contains("\(mqlLines.count) MQLs (first contact 2017-06-14 … 2018-05-31), \(wins) won"))
        #expect(result.stdout.contains("every closed deal matched an MQL"))

        let written = try String(contentsOf: dir.appendingPathComponent("leads.csv"), encoding: .utf8).split(separator: "\n")
        #expect(written.first == "mql_id,first_contact_date,origin,landing_page_id,contact_weekday,contact_month,contact_quarter,won")
        #expect(written.count - 1 == mqlLines.count)
        #expect(written.dropFirst().filter { $0.hasSuffix(",1") }.count == wins)

        let fit = try await CLI.run(["fit", "--data", "leads.csv", "--spec", "olist.spec.yaml", "--out", "olist.json", "--json"], in: dir)
        try #require(fit.exitCode == 0, "\(fit.stderr)")
        let json = try fit.json()
        #expect(json["rows"] as? Int == mqlLines.count)
        #expect(json["positives"] as? Int == wins)
        #expect(json["converged"] as? Bool == true)
    }

    @Test func unknownDealsAreReportedAndTheImportSucceeds() async throws {
        let dir = try CLI.scratch()
        try dir.appendingPathComponent("m.csv").write("mql_id,first_contact_date,landing_page_id,origin\na,2018-01-01,p,social\nb,2018-01-02,p,\n")
        try dir.appendingPathComponent("d.csv").write("mql_id,won_date\nb,2018-01-09 10:00:00\nghost,2018-01-10 10:00:00\n")
        let result = try await CLI.run(["import", "olist", "--mqls", "m.csv", "--deals", "d.csv", "--out", "leads.csv"], in: dir)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 MQLs (first contact 2018-01-01 … 2018-01-02), 1 won"))
        #expect(result.stdout.contains("warning: 1 closed deal names an MQL id not in m.csv and was not joined (line 3 \"ghost\")"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("olist.spec.yaml").path))
    }

    @Test func renamedColumnExits65NamingFileLineAndColumn() async throws {
        let dir = try CLI.scratch()
        try dir.appendingPathComponent("m.csv").write("mql_id,first_contact,landing_page_id,origin\na,2018-01-01,p,social\n")
        try dir.appendingPathComponent("d.csv").write("mql_id,won_date\n")
        let result = try await CLI.run(["import", "olist", "--mqls", "m.csv", "--deals", "d.csv", "--out", "leads.csv"], in: dir)
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("m.csv line 1 (header): no column \"first_contact_date\""))
        #expect(result.stderr.contains("rename the column back"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("leads.csv").path))
    }

    @Test func duplicateMQLExits65() async throws {
        let dir = try CLI.scratch()
        try dir.appendingPathComponent("m.csv").write(
            "mql_id,first_contact_date,landing_page_id,origin\na,2018-01-01,p,social\na,2018-01-02,p,email\n")
        try dir.appendingPathComponent("d.csv").write("mql_id,won_date\n")
        let result = try await CLI.run(["import", "olist", "--mqls", "m.csv", "--deals", "d.csv", "--out", "leads.csv"], in: dir)
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("m.csv line 3: MQL id \"a\" already appeared on line 2"))
    }

    @Test func missingFileIsAUsageError() async throws {
        let dir = try CLI.scratch()
        let result = try await CLI.run(["import", "olist", "--mqls", "nope.csv", "--deals", "d.csv", "--out", "leads.csv"], in: dir)
        #expect(result.exitCode == 64)
        #expect(result.stderr.contains("--mqls file nope.csv does not exist"))
    }
}
