import ArgumentParser
import BatonSupport
import Foundation
import LabTraining
import Recalibration

struct Recalibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The quarterly recalibration: fit a challenger, compare it with the champion out of time, recommend.",
        discussion: """
            Splits the data by the spec's time column: the test quarter is the last full calendar quarter (UTC) \
            whose leads have all matured by --as-of (quarter end + outcome window ≤ as-of); the challenger is \
            fitted on the leads created before it. Writes DIR/challenger.json, recommendation.json, \
            comparison.json, report.md and figures/*.svg, all at once (nothing is left on failure). An \
            existing DIR is refused (exit 73) unless --force, so an earlier quarter's report is never replaced by mistake.
            """)

    @Option(help: "CSV of leads with creation time and (for matured leads) outcome.") var data: String
    @Option(help: "Scoring spec (YAML); must name a `time` column.") var spec: String
    @Option(help: "The weight file in production (omit on a first run).") var champion: String?
    @Option(help: "The date of the run, YYYY-MM-DD (UTC).") var asOf: String
    @Option(help: "Output folder (must not exist, unless --force).") var out: String
    @Flag(help: "Replace an earlier run's --out folder (only once the new run is complete).") var force = false
    @Option(help: "Days after creation by which an outcome is final.") var outcomeWindowDays = 90
    @Option(help: "Train on only this many quarters before the test quarter (default: all earlier leads).") var trainQuarters: Int?
    @Option(help: "Leads per week sales can call within SLA: sets thresholds.mql.") var capacityPerWeek: Double?
    @Option(help: "Wanted conversion rate among MQLs, 0–1: sets thresholds.mql.") var targetConversion: Double?
    @Option(help: "Won and lost leads each needed in the training window per model term.") var minOutcomesPerTerm = 10
    @Option(help: "Won and lost leads each needed in the test quarter.") var minTestOutcomes = 30
    @Option(help: "Bands and segments with fewer leads are not flagged.") var minGroupLeads = 50

    func validate() throws {
        guard LeadTime.day(asOf) != nil else { throw ValidationError("--as-of must be a date YYYY-MM-DD (got \(asOf))") }
        guard outcomeWindowDays >= 0 else { throw ValidationError("--outcome-window-days must be ≥ 0 (got \(outcomeWindowDays))") }
        guard minOutcomesPerTerm >= 1, minTestOutcomes >= 2, minGroupLeads >= 1 else {
            throw ValidationError("--min-outcomes-per-term and --min-group-leads must be ≥ 1, --min-test-outcomes ≥ 2")
        }
        if let trainQuarters, trainQuarters < 1 { throw ValidationError("--train-quarters must be ≥ 1 (got \(trainQuarters))") }
        if let capacityPerWeek, !(capacityPerWeek > 0 && capacityPerWeek.isFinite) {
            throw ValidationError("--capacity-per-week must be a number > 0 (got \(capacityPerWeek))")
        }
        if let targetConversion, !(targetConversion > 0 && targetConversion <= 1) {
            throw ValidationError("--target-conversion must be in (0, 1] (got \(targetConversion))")
        }
    }

    func run() throws {
        let options = QuarterlyRecalibration.Options(
            data: URL(fileURLWithPath: data), spec: URL(fileURLWithPath: spec), champion: champion.map { URL(fileURLWithPath: $0) },
            asOfDay: LeadTime.day(asOf) ?? 0, outcomeWindowDays: outcomeWindowDays, trainQuarters: trainQuarters,
            capacityPerWeek: capacityPerWeek, targetConversion: targetConversion, minimumGroupCount: minGroupLeads,
            minimumTestOutcomes: minTestOutcomes, minimumOutcomesPerTerm: minOutcomesPerTerm)
        do {
            try RecalibrationOutput.checkTarget(URL(fileURLWithPath: out), replaceExisting: force)
            let result = try QuarterlyRecalibration.run(options)
            try RecalibrationOutput.write(result, to: URL(fileURLWithPath: out), replaceExisting: force)
            print(RecalibrationSummary.text(result, out: out))
        } catch {
            fail(error)
        }
    }
}
