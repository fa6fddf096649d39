import BatonSupport
import Foundation
import LabTraining
import ReportRendering
import ScoringModelFormat
import Simulation
import TestSupport
import Testing

@testable import Recalibration

/// Generated history with a planted drift (2024-07-01): a first run, then a run against its
/// challenger as champion, checked against counts taken from the CSV text and against the truth.
@Suite(.serialized) struct FullRunTests {
    static let fixture: (folder: URL, csv: URL, spec: URL) = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recal-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let csv = folder.appendingPathComponent("leads.csv"), spec = folder.appendingPathComponent("leads.spec.yaml")
        let drift = LeadTime.day("2024-07-01")
        _ = try? SyntheticLeads.write(rows: 88_000, seed: 99, options: SyntheticOptions(quarters: 11, driftStartDay: drift), to: csv)
        try? Data(SyntheticLeads.specYAML.utf8).write(to: spec)
        return (folder, csv, spec)
    }()

    /// (created_at, won) per row, read with plain string splitting (not LeadTable).
    static let rows: [(time: String, won: Bool, source: String)] = {
        let text = (try? String(contentsOf: fixture.csv, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return (String(cells[1]), cells[cells.count - 1] == "1", String(cells[8]))
        }
    }()

    func options(asOf: String, champion: URL? = nil, capacity: Double? = nil) throws -> QuarterlyRecalibration.Options {
        QuarterlyRecalibration.Options(
            data: Self.fixture.csv, spec: Self.fixture.spec, champion: champion,
            asOfDay: try #require(LeadTime.day(asOf)), capacityPerWeek: capacity,
            now: Date(timeIntervalSince1970: 1_760_000_000))
    }

    @Test func firstRunSplitsByMaturedQuarter() throws {
        let result = try QuarterlyRecalibration.run(options(asOf: "2024-10-01"))
        #expect(result.testQuarter.description == "2024Q2")
        let test = Self.rows.filter { $0.time >= "2024-04-01" && $0.time < "2024-07-01" }
        let train = Self.rows.filter { $0.time < "2024-04-01" }
        #expect(result.testRows == test.count)
        #expect(result.testPositives == test.filter(\.won).count)
        #expect(result.trainRows == train.count)
        #expect(result.trainPositives == train.filter(\.won).count)
        #expect(result.excludedRows == Self.rows.count - test.count - train.count)
        #expect(result.decision == .promote && result.champion == nil && result.comparison == nil)
        // Pre-drift history, pre-drift test: nothing has moved.
        #expect(result.drift.allSatisfy { $0.stability.band == .stable })
        #expect(result.challenger.model.training.rows == train.count)
        #expect(result.challenger.model.training.timeTo?.hasPrefix("2024-03-31") == true)
    }

    @Test func partialTestQuarterDividesByTheCoveredWeeks() throws {
        // The same history cut after 2024-05-15: 2024Q2 (91 days) is covered for April + 15 days of May.
        let folder = Self.fixture.folder.appendingPathComponent("partial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = try String(contentsOf: Self.fixture.csv, encoding: .utf8)
        let lines = text.split(separator: "\n")
        let kept = [lines[0]] + lines.dropFirst().filter { $0.split(separator: ",")[1] < "2024-05-16" }
        let csv = folder.appendingPathComponent("cut.csv")
        try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: csv)
        let lastDay = try #require(kept.dropFirst().map { String($0.split(separator: ",")[1].prefix(10)) }.max())
        #expect(lastDay == "2024-05-15")
        var options = try options(asOf: "2024-10-01", capacity: 30)
        options.data = csv
        let result = try QuarterlyRecalibration.run(options)
        #expect(result.testCoverage.days == 45 && result.testCoverage.isPartial)
        let testLeads = kept.dropFirst().filter { $0.split(separator: ",")[1] >= "2024-04-01" }.count
        #expect(result.testRows == testLeads)
        #expect(isClose(result.thresholdCurve.weeks, 45.0 / 7, absolute: 1e-15, relative: 0))
        let bottom = try #require(result.thresholdCurve.points.first)
        #expect(bottom.leads == testLeads)
        #expect(isClose(bottom.leadsPerWeek, Double(testLeads) * 7 / 45, absolute: 0, relative: 1e-14))
        try RecalibrationOutput.write(result, to: folder.appendingPathComponent("run"))
        let report = try String(contentsOf: folder.appendingPathComponent("run/report.md"), encoding: .utf8)
        #expect(report.contains("**Partial test quarter:** the data covers 45 of 91 days of 2024Q2 (2024-04-01 … 2024-05-15)"))
        #expect(report.contains("divided by the 6.43 weeks the data covers"))
        #expect(RecalibrationSummary.text(result, out: "run").contains("Warning: partial test quarter: the data covers 45 of 91 days of 2024Q2"))
    }

    @Test func secondRunFindsThePlantedDrift() throws {
        let folder = Self.fixture.folder.appendingPathComponent("second-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let first = try QuarterlyRecalibration.run(options(asOf: "2024-10-01"))
        try RecalibrationOutput.write(first, to: folder.appendingPathComponent("2024"))
        let championURL = folder.appendingPathComponent("2024/challenger.json")
        let result = try QuarterlyRecalibration.run(options(asOf: "2025-10-01", champion: championURL, capacity: 30))
        try RecalibrationOutput.write(result, to: folder.appendingPathComponent("2025"))

        #expect(result.testQuarter.description == "2025Q2")
        let comparison = try #require(result.comparison)
        let champion = try #require(result.champion)
        #expect(
            isClose(
                comparison.difference, result.challenger.metrics.auc.value - champion.metrics.auc.value,
                absolute: 1e-15, relative: 0))
        // The champion never saw content syndication's collapse: it over-predicts that segment.
        let syndication = try #require(champion.segmentChecks.first { $0.group == "lead_source=content_syndication" })
        #expect(syndication.verdict == .belowPredicted)
        let test = Self.rows.filter { $0.time >= "2025-04-01" && $0.time < "2025-07-01" && $0.source == "content_syndication" }
        #expect(syndication.count == test.count && syndication.positives == test.filter(\.won).count)
        // The weight of webinars fell (0.25 → 0 after the drift).
        let webinars = try #require(result.weightChanges.first { $0.term == "log1p(webinars_attended)" })
        #expect(try #require(webinars.difference) < 0)

        // Files: thresholds stored, checksum verified by load, recommendation readable.
        let chosen = try #require(result.chosenThreshold)
        #expect(chosen.leadsPerWeek <= 30)
        let below = try #require(result.thresholdCurve.points.first { $0.threshold == chosen.threshold - 1 })
        #expect(below.leadsPerWeek > 30)
        #expect(chosen.leads == result.challenger.points.filter { $0 >= chosen.threshold }.count)
        // The champion's own threshold for the same capacity, on its own scale.
        let kept = try #require(result.championThreshold)
        #expect(kept.leadsPerWeek <= 30)
        #expect(kept.leads == champion.points.filter { $0 >= kept.threshold }.count)
        #expect(Double(champion.points.filter { $0 >= kept.threshold - 1 }.count) / result.thresholdCurve.weeks > 30)
        let written = try WeightFile.load(from: folder.appendingPathComponent("2025/challenger.json"))
        #expect(written.thresholds?.mql == chosen.threshold)
        let recommendation =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("2025/recommendation.json"))) as? [String: Any]
        #expect(recommendation?["decision"] as? String == result.decision.rawValue)
        #expect((recommendation?["rule"] as? [String: Any])?["statement"] as? String == RecommendationRule().statement)
        let report = try String(contentsOf: folder.appendingPathComponent("2025/report.md"), encoding: .utf8)
        #expect(report.hasPrefix("# Quarterly recalibration as of 2025-10-01\n\n## Summary"))
        #expect(report.contains(NumberFormat.fixed(result.challenger.metrics.auc.value)))
        // Closed testing (Vergouwe et al. 2017): four fits, three tests against the revision, and
        // the champion updated by (b) and (c) as weight files that load (checksum verified) with
        // the champion's terms: (b) moves the intercept only, (c) scales every weight by β.
        let updating = try #require(result.modelUpdating)
        #expect(updating.testing.fits.map(\.method) == ClosedTesting.Method.allCases && updating.testing.tests.count == 3)
        #expect(updating.testing.tests.map(\.degreesOfFreedom) == [0, 1, 2].map { champion.model.model.count - $0 })
        let b = try #require(updating.testing.fit(.intercept)), c = try #require(updating.testing.fit(.recalibration))
        let old = champion.model.model
        let intercept = try WeightFile.load(from: folder.appendingPathComponent("2025/\(ModelUpdating.interceptFile)"))
        let scaled = try WeightFile.load(from: folder.appendingPathComponent("2025/\(ModelUpdating.recalibratedFile)"))
        #expect(intercept.model.map(\.name) == old.map(\.name) && scaled.model.map(\.name) == old.map(\.name))
        #expect(intercept.encodings == champion.model.encodings && scaled.encodings == champion.model.encodings)
        let alphaB = try #require(b.intercept), alphaC = try #require(c.intercept), beta = try #require(c.slope)
        for (i, term) in old.enumerated() {
            let isIntercept = i == 0
            #expect(intercept.model[i].estimate == (isIntercept ? term.estimate + alphaB : term.estimate))
            #expect(scaled.model[i].estimate == (isIntercept ? alphaC + beta * term.estimate : beta * term.estimate))
            #expect(isClose(scaled.model[i].pointsPerUnit, scaled.points.factor * scaled.model[i].estimate, absolute: 1e-12, relative: 1e-12))
        }
        // Out of time, (b) and (c) rank the test leads as the champion does (a monotone map of its score).
        let auc = Dictionary(uniqueKeysWithValues: updating.outOfTime.map { ($0.method, $0.metrics.auc.value) })
        #expect(isClose(auc[.intercept] ?? 0, auc[.original] ?? 1, absolute: 1e-12, relative: 0))
        #expect(isClose(auc[.original] ?? 0, champion.metrics.auc.value, absolute: 1e-12, relative: 0))
        #expect(isClose(auc[.revision] ?? 0, result.challenger.metrics.auc.value, absolute: 1e-12, relative: 0))
        #expect(
            report.contains("## Model updating by closed testing") && report.contains("**Closed testing chooses (\(updating.testing.chosen.letter))"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }
}
