import ArgumentParser
import BatonSupport
import Foundation
import HandoffFlow
import LabTraining
import Recalibration
import ScoringModelFormat

struct Recalibrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recalibrate",
        abstract: "The quarterly recalibration: fit a challenger, compare it with the champion out of time, recommend.",
        discussion: """
            Splits the data by the spec's time column: the test quarter is the last full calendar quarter (UTC) \
            whose leads have all matured by --as-of (quarter end + outcome window ≤ as-of); the challenger is \
            fitted on the leads created before it. Writes DIR/challenger.json, recommendation.json, \
            comparison.json, report.md and figures/*.svg, all at once (nothing is left on failure). An \
            existing DIR is refused (exit 73) unless --force, so an earlier quarter's report is never replaced by mistake.

            With --db instead of --data, the leads come from the hand-off store as `baton training export` writes \
            them (each as of the score that handed it off, outcome from the closed loop); leads still open are \
            left out and counted in the report, never read as lost, and the rows used are kept as DIR/training.csv.
            """)

    @Option(help: "CSV of leads with creation time and (for matured leads) outcome.") var data: String?
    @Option(help: "Hand-off store to learn from instead of --data: an SQLite file, or postgres://user@host:port/database.") var db: String?
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
        guard (data == nil) != (db == nil) else {
            throw ValidationError("give either --data FILE.csv or --db STORE (the hand-off store's own outcomes), not both")
        }
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

    func run() async throws {
        var dataURL = data.map { URL(fileURLWithPath: $0) }
        let specURL = URL(fileURLWithPath: spec)
        var notes: [String] = []
        var scratch: URL?
        var storeExport: TrainingExport?
        if let db {
            let exported = await exportFromStore(db)
            storeExport = exported.data
            scratch = exported.folder
            dataURL = exported.csv
            notes = exported.notes
        }
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        var options = QuarterlyRecalibration.Options(
            data: dataURL ?? URL(fileURLWithPath: ""), spec: specURL, champion: champion.map { URL(fileURLWithPath: $0) },
            asOfDay: LeadTime.day(asOf) ?? 0, outcomeWindowDays: outcomeWindowDays, trainQuarters: trainQuarters,
            capacityPerWeek: capacityPerWeek, targetConversion: targetConversion, minimumGroupCount: minGroupLeads,
            minimumTestOutcomes: minTestOutcomes, minimumOutcomesPerTerm: minOutcomesPerTerm)
        options.dataNotes = notes
        do {
            try RecalibrationOutput.checkTarget(URL(fileURLWithPath: out), replaceExisting: force)
            let result = try QuarterlyRecalibration.run(options)
            try RecalibrationOutput.write(result, to: URL(fileURLWithPath: out), replaceExisting: force)
            print(RecalibrationSummary.text(result, out: out))
        } catch {
            if let storeExport, case .tooFewOutcomes = error {
                if let scratch { try? FileManager.default.removeItem(at: scratch) }
                fail(
                    "\(error.description) From the store: \(storeExport.won) won and \(storeExport.lost) lost leads in all; \(storeExport.openPastWindow) leads past the \(outcomeWindowDays)-day outcome window have no outcome recorded (left out, not counted as lost): record their won/lost events, or pass a later --as-of.",
                    error.exitStatus)
            }
            if let scratch { try? FileManager.default.removeItem(at: scratch) }
            fail(error)
        }
    }

    /// `--db`: the store's leads (spec features and the champion's) as of --as-of, the matured ones
    /// written to a scratch CSV under the column names the spec reads.
    func exportFromStore(_ db: String) async -> (data: TrainingExport, folder: URL, csv: URL, notes: [String]) {
        let location = StoreOptions.parse(db: db)
        location.requireExisting("--db \(db) does not exist: name the store `baton handoff replay` or `baton serve` filled")
        var given = StoreTraining.loadSpec(spec)
        if let champion {
            // The champion is scored on the same rows: its columns are exported too.
            let model: WeightFile
            do { model = try CalibrationLab.loadModel(URL(fileURLWithPath: champion)) } catch { fail(error) }
            for feature in model.spec.features where !given.features.contains(where: { $0.column == feature.column }) {
                given.features.append(feature)
            }
        }
        let asOfDay = LeadTime.day(asOf) ?? 0
        let export = await location.withStore { store in
            await StoreTraining.export(from: store, asOfDay: asOfDay, spec: (given, spec), outcomeWindowDays: outcomeWindowDays)
        }
        var matured = export.data
        matured.rows.removeAll { $0.outcome == .open }
        // The columns under the names the user's spec reads (its time, id and outcome columns), so
        // the spec and the champion are used as they are.
        let user = StoreTraining.loadSpec(spec)
        var renaming = ["won": user.outcome.column]
        if let time = user.time { renaming["created_at"] = time }
        if let id = user.id { renaming["lead_id"] = id }
        let header = TrainingRow.metaColumns.map { renaming[$0] ?? $0 } + export.data.columns
        if let clash = Dictionary(grouping: header, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            fail(
                "\(spec): the export would write two columns named \"\(clash)\" (the spec's time, id or outcome column is also a feature or one of \(TrainingRow.metaColumns.joined(separator: ", "))); rename it in the spec",
                .dataError)
        }
        let positive = user.outcome.positive.first ?? "1"
        let lost = ["0", "lost", "not_won"].first { !user.outcome.positive.contains($0) } ?? "0"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-recalibrate-\(UUID().uuidString.prefix(8))")
        let csv = folder.appendingPathComponent("training.csv")
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            fail("cannot create a scratch folder in \(folder.deletingLastPathComponent().path): \(error.localizedDescription)", .cannotCreate)
        }
        StoreTraining.write(matured.csv(renaming: renaming, labels: (positive, lost)), to: csv.path)
        let d = export.data
        let source = location.isServer ? "the PostgreSQL store" : "the store `\(URL(fileURLWithPath: db).lastPathComponent)`"
        let notes = [
            "Leads from \(source) as of \(asOf) (`baton training export`): each as the production scorer saw it when it was scored for hand-off (fields and engagement stored up to that score, nothing later); \(d.rows.count) leads, \(d.handedOff) handed off, \(d.won) won, \(d.lost) lost.",
            "Open leads are left out, never counted as lost: \(d.openPastWindow) past the \(outcomeWindowDays)-day outcome window with no outcome recorded, \(d.openMaturing) still within it. The \(matured.rows.count) leads used are in `training.csv`.",
        ]
        return (export.data, folder, csv, notes)
    }
}
