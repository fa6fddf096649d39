import BatonSupport
import Foundation
import LabTraining
import Recalibration
import Simulation
import TestSupport
import Testing

/// The generator options recalibration relies on: a span of quarters and a seeded drift.
struct SyntheticDriftTests {
    func generate(rows: Int, seed: UInt64, options: SyntheticOptions = .init()) throws -> (String, SyntheticTruth) {
        var bytes: [UInt8] = []
        let truth = try SyntheticLeads.generate(rows: rows, seed: seed, options: options) { bytes.append(contentsOf: $0) }
        return (String(decoding: bytes, as: UTF8.self), truth)
    }

    @Test func defaultOptionsAreTheOldGenerator() throws {
        let (a, truthA) = try generate(rows: 2_000, seed: 5)
        let (b, truthB) = try generate(rows: 2_000, seed: 5, options: SyntheticOptions(quarters: 8, driftStartDay: nil))
        #expect(a == b && truthA == truthB && truthA.drift == nil)
        // The bundled file was written before the options existed.
        let bundled = SharedData.projectRoot.appendingPathComponent("Datasets/leads_holdout.csv")
        let (c, _) = try generate(rows: 5_000, seed: 20_261_125)
        #expect(c == (try String(contentsOf: bundled, encoding: .utf8)))
    }

    @Test func quartersSpanTheCalendar() throws {
        let (csv, _) = try generate(rows: 11_000, seed: 8, options: SyntheticOptions(quarters: 11))
        let times = csv.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }
        #expect(times.first?.hasPrefix("2023-01-01") == true)
        #expect(times.last?.hasPrefix("2025-09-30") == true)
        #expect(times == times.sorted())
        // 1,000 leads per quarter, ±1 for the slot that straddles a quarter edge.
        var perQuarter: [String: Int] = [:]
        for t in times {
            let month = Int(t.dropFirst(5).prefix(2)) ?? 0
            perQuarter["\(t.prefix(4))Q\((month - 1) / 3 + 1)", default: 0] += 1
        }
        #expect(perQuarter.count == 11)
        for (quarter, count) in perQuarter {
            let days = Double(CalendarQuarter(year: Int(quarter.prefix(4)) ?? 0, quarter: Int(String(quarter.last ?? "0")) ?? 0).dayCount)
            #expect(abs(Double(count) - 11_000 * days / 1_004) <= 2, "\(quarter): \(count)")
        }
    }

    @Test func driftStartsAtTheDateAndChangesMixAndTruth() throws {
        let start = try #require(LeadTime.day("2024-01-01"))
        let (csv, truth) = try generate(rows: 40_000, seed: 21, options: SyntheticOptions(quarters: 8, driftStartDay: start))
        let drift = try #require(truth.drift)
        #expect(drift.starts == "2024-01-01")
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let before = rows.filter { $0[1] < "2024-01-01" }, after = rows.filter { $0[1] >= "2024-01-01" }
        // Rows are drifted from the first whose time slot starts on the date: at most one slot's row differs.
        #expect(abs(drift.rows - after.count) <= 1)
        func share(_ rows: [[Substring]], _ level: String) -> Double {
            Double(rows.filter { $0[8] == level }.count) / Double(rows.count)
        }
        // Content syndication: 0.08 → 0.24 of leads (binomial SE ≈ 0.002 at 20,000 rows).
        #expect(abs(share(before, "content_syndication") - 0.08) < 0.01)
        #expect(abs(share(after, "content_syndication") - 0.24) < 0.015)
        let old = truth.coefficients, new = Dictionary(drift.terms.map { ($0.name, $0.coefficient) }, uniquingKeysWith: { a, _ in a })
        #expect(old["log1p(webinars_attended)"] == 0.25 && new["log1p(webinars_attended)"] == 0)
        #expect(old["log1p(pricing_page_views)"] == 0.35 && new["log1p(pricing_page_views)"] == 0.7)
        // content_syndication is lead_source's byte-order baseline: its fall (−0.4 → −1.2) lifts every other source by 0.8.
        #expect(isClose((new["lead_source=referral"] ?? 0) - (old["lead_source=referral"] ?? 0), 0.8, absolute: 1e-12, relative: 0))
        #expect(old.keys.sorted() == new.keys.sorted())
    }
}
