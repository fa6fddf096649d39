import DatasetImport
import Foundation
import HandoffPersistence
import HandoffReviews
import HandoffSQLite
import TestSupport
import Testing

/// The Olist store import against counts computed independently by Python's csv module in the
/// test set-up (not by the LeadTable reader under test).
@Suite struct OlistImportTests {
    struct Expected: Decodable {
        let leads: Int
        let deals: Int
        let reps: Int
        let revenueCents: Int64
        let withRevenue: Int
        let wonBeforeMQL: Int
        let emptyOrigin: Int
        let perOrigin: [String: Int]
        let wonPerOrigin: [String: Int]
        let perMonth: [String: Int]
    }

    static let script = #"""
        import csv, json, sys
        from decimal import Decimal
        mqls = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
        deals = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
        origin = {m["mql_id"]: m["origin"] for m in mqls}
        first = {m["mql_id"]: m["first_contact_date"] for m in mqls}
        per_origin, won_per_origin, per_month = {}, {}, {}
        for m in mqls:
            if m["origin"]:
                per_origin[m["origin"]] = per_origin.get(m["origin"], 0) + 1
            per_month[m["first_contact_date"][:7]] = per_month.get(m["first_contact_date"][:7], 0) + 1
        for d in deals:
            o = origin[d["mql_id"]]
            if o:
                won_per_origin[o] = won_per_origin.get(o, 0) + 1
        rev = [Decimal(d["declared_monthly_revenue"] or "0") for d in deals]
        print(json.dumps({
            "leads": len(mqls), "deals": len(deals),
            "reps": len({d["sdr_id"] for d in deals if d["sdr_id"]} | {d["sr_id"] for d in deals if d["sr_id"]}),
            "revenueCents": int(sum(rev) * 100), "withRevenue": sum(1 for r in rev if r > 0),
            "wonBeforeMQL": sum(1 for d in deals if d["won_date"][:10] < first[d["mql_id"]]),
            "emptyOrigin": sum(1 for m in mqls if not m["origin"]),
            "perOrigin": per_origin, "wonPerOrigin": won_per_origin, "perMonth": per_month}))
        """#

    func expected() throws -> Expected {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, SharedData.olistLeads.path, SharedData.olistDeals.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    @Test func importMatchesIndependentCounts() async throws {
        let e = try expected()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-olist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = SQLiteHandoffStore.Options()
        options.durability = .normal
        let store = try SQLiteHandoffStore(path: folder.appendingPathComponent("olist.sqlite").path, options: options)
        let summary = try await OlistStoreImport.run(mqls: SharedData.olistLeads.path, deals: SharedData.olistDeals.path, into: store)
        #expect(e.leads == 8000 && e.deals == 842)  // PROVENANCE.md
        #expect(summary.leads == e.leads && summary.wonDeals == e.deals && summary.reps == e.reps)
        #expect(summary.dealsWithRevenue == e.withRevenue && summary.wonBeforeFirstContact == e.wonBeforeMQL)
        let counts = try await store.counts()
        #expect(counts.leads == e.leads && counts.decisions == e.leads && counts.assignments == e.leads)
        #expect(counts.opportunities == e.deals && counts.outcomes == e.deals && counts.reps == e.reps)
        #expect(counts.contactAttempts == 0 && counts.dispositions == 0)

        let journeys = LeadJourney.build(
            from: try await store.cohort(createdIn: ReportPeriod(start: Date(timeIntervalSince1970: 0), end: at("2019-01-01T00:00:00Z"))))
        let asOf = at("2019-01-01T00:00:00Z")
        #expect(Dictionary(grouping: journeys.compactMap(\.lead.source), by: { $0 }).mapValues(\.count) == e.perOrigin)
        #expect(journeys.filter { $0.lead.source == nil }.count == e.emptyOrigin)
        let wonBySource = Dictionary(grouping: journeys.filter { $0.isWon(by: asOf) }.compactMap(\.lead.source), by: { $0 }).mapValues(\.count)
        #expect(wonBySource == e.wonPerOrigin)
        let cohorts = Funnel.cohorts(journeys, timeZone: utc, asOf: asOf)
        #expect(Dictionary(uniqueKeysWithValues: cohorts.map { ($0.cohort, $0.stages[0].reached) }) == e.perMonth)
        let revenue = cohorts.reduce(Int64(0)) { $0 + ($1.attributedRevenue["BRL"] ?? 0) }
        #expect(revenue == e.revenueCents)

        let again = try await OlistStoreImport.run(mqls: SharedData.olistLeads.path, deals: SharedData.olistDeals.path, into: store)
        let after = try await store.counts()
        #expect(again.alreadyStored == e.leads && after.leads == e.leads)
    }

    @Test func badFilesNameFileRowAndColumn() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-olist-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mqls = folder.appendingPathComponent("mqls.csv"), deals = folder.appendingPathComponent("deals.csv")
        try "mql_id,first_contact_date,landing_page_id,origin\nm1,2018-02-30x,p1,social\n".write(to: mqls, atomically: true, encoding: .utf8)
        try "mql_id,sdr_id,sr_id,won_date,business_segment,declared_monthly_revenue\n".write(to: deals, atomically: true, encoding: .utf8)
        let store = try SQLiteHandoffStore(path: folder.appendingPathComponent("s.sqlite").path)
        await #expect(throws: StoreImportError.olistImport(.badDate(file: mqls.path, line: 2, column: "first_contact_date", value: "2018-02-30x"))) {
            _ = try await OlistStoreImport.run(mqls: mqls.path, deals: deals.path, into: store)
        }
        try "mql_id,first_contact_date,landing_page_id,origin\nm1,2018-02-03,p1,social\nm2,2018-02-04,p1,\n".write(
            to: mqls, atomically: true, encoding: .utf8)
        // A deal without an SDR column: the store import needs it, the lab import would not.
        try "mql_id,sr_id,won_date,business_segment,declared_monthly_revenue\nm1,r1,2018-03-01 10:00:00,pet,10\n".write(
            to: deals, atomically: true, encoding: .utf8)
        do {
            _ = try await OlistStoreImport.run(mqls: mqls.path, deals: deals.path, into: store)
            Issue.record("a deals file without sdr_id should be refused")
        } catch {
            guard case let .olistImport(.missingColumn(file, column, _, _, header)) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(file == deals.path && column == "sdr_id" && header.count == 5)
        }
        let header = "mql_id,sdr_id,sr_id,won_date,business_segment,declared_monthly_revenue\n"
        for (rows, line, column, reason) in [
            ("m1,s1,r1,2018-03-01,pet,10\n", 2, "won_date", "'2018-03-01' is not YYYY-MM-DD HH:MM:SS"),
            ("m1,s1,r1,2018-03-01 10:00:00,pet,-5\n", 2, "declared_monthly_revenue", "'-5' is not a non-negative number"),
            ("m1,s1,r1,2018-03-01 10:00:00,pet,10\nm1,s2,r1,2018-03-02 10:00:00,pet,10\n", 3, "mql_id", "'m1' has a second deal"),
            (
                "m1,s1,r1,2018-03-01 10:00:00,pet,10\nm9,s2,r1,2018-03-02 10:00:00,pet,10\n", 3, "mql_id",
                "'m9' is not an MQL of \(mqls.path) (1 deal(s) like it); every deal must close a known lead"
            ),
        ] {
            try (header + rows).write(to: deals, atomically: true, encoding: .utf8)
            await #expect(throws: StoreImportError.badRow(file: deals.path, row: line, column: column, reason: reason)) {
                _ = try await OlistStoreImport.run(mqls: mqls.path, deals: deals.path, into: store)
            }
        }
        try "mql_id,when\n".write(to: mqls, atomically: true, encoding: .utf8)
        await #expect(throws: StoreImportError.self) {
            _ = try await OlistStoreImport.run(mqls: mqls.path, deals: deals.path, into: store)
        }
        let counts = try await store.counts()
        #expect(counts.leads == 0)
    }

    @Test func optionalDealDetailsLandInTheLeadFields() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-olist-extra-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mqls = folder.appendingPathComponent("mqls.csv"), deals = folder.appendingPathComponent("deals.csv")
        try "mql_id,first_contact_date,landing_page_id,origin\nm1,2018-02-03,p1,social\nm2,2018-02-04,p2,\n".write(
            to: mqls, atomically: true, encoding: .utf8)
        // lead_type present and quoted with a comma, the other optional columns absent.
        try
            "mql_id,sdr_id,sr_id,won_date,business_segment,lead_type,declared_monthly_revenue\nm1,s1,r1,2018-03-01 10:00:00,pet,\"online, big\",12.34\n"
            .write(to: deals, atomically: true, encoding: .utf8)
        let store = try SQLiteHandoffStore(path: folder.appendingPathComponent("s.sqlite").path)
        let summary = try await OlistStoreImport.run(mqls: mqls.path, deals: deals.path, into: store)
        #expect(summary.leads == 2 && summary.wonDeals == 1 && summary.reps == 2 && summary.dealsWithRevenue == 1)
        let lead = try #require(try await store.lead(id: "m1"))
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(lead.fields.text.utf8)) as? [String: String])
        #expect(fields == ["origin": "social", "landing_page_id": "p1", "business_segment": "pet", "sr_id": "r1", "lead_type": "online, big"])
        let journeys = LeadJourney.build(
            from: try await store.cohort(createdIn: ReportPeriod(start: at("2018-01-01T00:00:00Z"), end: at("2018-04-01T00:00:00Z"))))
        let won = try #require(journeys.first { $0.lead.id == "m1" })
        #expect(won.isWon(by: at("2018-03-01T10:00:00Z")) && !won.isWon(by: at("2018-03-01T09:59:59Z")))
        #expect(journeys.first { $0.lead.id == "m2" }?.lead.source == nil)
    }
}
