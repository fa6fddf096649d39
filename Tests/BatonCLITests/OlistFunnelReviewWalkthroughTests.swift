import Foundation
import TestSupport
import Testing

/// Runs the `baton` commands of Notebooks-md/olist-funnel-review.md (``NotebookRun``) and checks
/// its bold figures against the outputs, and the outputs against counts Python's csv module
/// takes from the raw files in the test set-up (not the LeadTable reader the import uses).
@Suite struct OlistFunnelReviewWalkthroughTests {
    struct Expected: Decodable {
        let leads, deals, reps, withRevenue, wonBeforeMQL: Int
        let march, marchWon: Int
        let cycleMedianDays, cycleP90Days, chiSquare: Double
        let sources: Int
    }

    static let script = #"""
        import csv, json, sys
        from datetime import datetime
        mqls = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
        deals = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
        first = {m["mql_id"]: m["first_contact_date"] for m in mqls}
        won = {d["mql_id"] for d in deals}
        def q7(xs, p):
            xs = sorted(xs); h = (len(xs) - 1) * p; lo = int(h)
            return xs[lo] + (h - lo) * (xs[min(lo + 1, len(xs) - 1)] - xs[lo])
        cycle = [(datetime.strptime(d["won_date"], "%Y-%m-%d %H:%M:%S") - datetime.strptime(first[d["mql_id"]], "%Y-%m-%d")).total_seconds() / 86400 for d in deals]
        table = {}
        for m in mqls:
            row = table.setdefault(m["origin"], [0, 0]); row[m["mql_id"] in won] += 1
        n = len(mqls); w = len(won)
        chi = 0.0
        for lost, win in table.values():
            t = lost + win
            for observed, total in ((win, w), (lost, n - w)):
                e = t * total / n; chi += (observed - e) ** 2 / e
        march = [m for m in mqls if m["first_contact_date"].startswith("2018-03")]
        print(json.dumps({
            "leads": n, "deals": len(deals),
            "reps": len({d["sdr_id"] for d in deals if d["sdr_id"]} | {d["sr_id"] for d in deals if d["sr_id"]}),
            "withRevenue": sum(1 for d in deals if float(d["declared_monthly_revenue"] or 0) > 0),
            "wonBeforeMQL": sum(1 for d in deals if d["won_date"][:10] < first[d["mql_id"]]),
            "march": len(march), "marchWon": sum(1 for m in march if m["mql_id"] in won),
            "cycleMedianDays": q7(cycle, 0.5), "cycleP90Days": q7(cycle, 0.9), "chiSquare": chi, "sources": len(table)}))
        """#

    func expected() async throws -> Expected { try await PythonReading.olist(Self.script, as: Expected.self) }

    @Test func walkthroughRunsAndItsFiguresHold() async throws {
        let e = try await expected()
        let run = try await NotebookRun("olist-funnel-review.md", expectedCommands: 4)
        func f(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
        func thousands(_ n: Int) -> String { n >= 1000 ? "\(n / 1000),\(String(format: "%03d", n % 1000))" : "\(n)" }

        // Import, twice.
        let imported =
            "imported \(e.leads) leads (0 already stored), \(e.deals) won deals (\(e.withRevenue) with declared revenue, \(e.wonBeforeMQL) won before the MQL date), \(e.reps) reps"
        #expect(run.stdout[0].trimmingCharacters(in: .whitespacesAndNewlines) == imported)
        run.claim(imported, "first import")
        let again = "imported 0 leads (\(e.leads) already stored)"
        #expect(run.stdout[1].hasPrefix(again))
        run.claim(again, "second import")

        // The funnel review: the notebook's cohort and source tables are the report's own lines.
        let funnel = try run.read("olist-review/report.md")
        let tableLines = run.text.split(separator: "\n").filter {
            $0.hasPrefix("| 20") || ($0.hasPrefix("| ") && $0.contains("95 % CI") && !$0.hasPrefix("| cohort"))
        }
        #expect(tableLines.count == 12 + e.sources)
        for line in tableLines { #expect(funnel.contains(line), "report.md should hold the notebook's line \(line)") }
        let march =
            "| 2018-03 | \(e.march) (\(e.march)) | \(e.march) (\(e.march)) | \(e.marchWon) (0) | \(e.marchWon) (\(e.marchWon)) | \(e.marchWon) (\(e.marchWon)) |"
        #expect(funnel.contains(march))
        let all = "All cohorts: lead \(e.leads) → MQL \(e.leads) → SQL \(e.deals) → opportunity \(e.deals) → won \(e.deals);"
        #expect(funnel.contains(all) && run.text.contains(all))
        let median = f(e.cycleMedianDays, 1), p90 = f(e.cycleP90Days, 1)
        run.claim("median \(median) days, p90 \(p90) days", "sales cycle")
        #expect(funnel.contains(median) && funnel.contains(p90))
        let chi = "X² = \(f(e.chiSquare, 2)) on \(e.sources - 1) df"
        run.claim(chi, "won × source")
        #expect(funnel.contains(chi))

        // The monthly review of 2018-03: no SLA verdicts without contact attempts; the unknown-SDR queue.
        let monthly = try run.read("olist-2018-03/report.md")
        #expect(monthly.contains("No contact attempt is stored for any loaded lead."))
        run.claim("\(thousands(e.march)) hand-offs in 2018-03", "hand-offs of the month")
        run.claim("\(thousands(e.march - e.marchWon)) hand-offs in 2018-03", "hand-offs to the fallback queue")
        #expect(monthly.contains("\(e.march - e.marchWon)"))
    }
}
