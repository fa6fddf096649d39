import ArgumentParser
import Foundation
import LabTraining
import Recalibration
import ScoringModelFormat

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write seeded synthetic B2B leads from a known logistic model, with the truth.",
        discussion: """
            Firmographics, engagement counts, created_at over eight quarters (2023–2024, or --quarters) and the outcome \
            `won`. Also writes FILE's truth (true coefficients per term) as <FILE>.truth.json and the \
            matching spec as <FILE>.spec.yaml unless told otherwise.

            Event-log mode (--events FILE.jsonl): hand-off traffic from the same leads — lead_created, \
            engagement over time matching each lead's counts, contact attempts by the territory's rep \
            (some late enough to breach the SLA), dispositions patterned by fit, opportunities and won/lost \
            from the true outcome, and about 2% retried duplicate event ids — plus its truth summary \
            (<FILE without .jsonl>.truth.json). The reps are those of Datasets/playbook.yaml.
            """)

    @Option(help: "Number of leads.") var rows: Int
    @Option(help: "Seed (same seed, same bytes).") var seed: UInt64
    @Option(help: "CSV to write.") var out: String?
    @Option(help: "Event log (JSONL) to write: hand-off traffic from the same leads.") var events: String?
    @Option(help: "Where to write the event log's truth (default <events without .jsonl>.truth.json).") var eventsTruth: String?
    @Option(help: "Where to write the truth JSON (default <out without .csv>.truth.json).") var truth: String?
    @Option(help: "Where to write the matching spec (default <out without .csv>.spec.yaml).") var spec: String?
    @Option(help: "Calendar quarters of history from 2023-01-01 (8 = 2023–2024).") var quarters = 8
    @Option(help: ArgumentHelp(
        "Drift the market from this date (YYYY-MM-DD, UTC) on: lead-source and company-size mix shift and some true effects change.",
        discussion: "The scenario is fixed and recorded in the truth JSON under `drift`."))
    var driftAfter: String?

    func validate() throws {
        guard rows > 0 else { throw ValidationError("--rows must be at least 1 (got \(rows))") }
        guard quarters >= 1 && quarters <= 400 else { throw ValidationError("--quarters must be 1…400 (got \(quarters))") }
        if let driftAfter, LeadTime.day(driftAfter) == nil {
            throw ValidationError("--drift-after must be a date YYYY-MM-DD (got \(driftAfter))")
        }
        guard out != nil || events != nil else { throw ValidationError("give --out FILE.csv (leads), --events FILE.jsonl (event log), or both") }
    }

    func run() throws {
        if let events { try writeEvents(events) }
        guard let out else { return }
        let stem = out.hasSuffix(".csv") ? String(out.dropLast(4)) : out
        let truthPath = truth ?? stem + ".truth.json"
        let specPath = spec ?? stem + ".spec.yaml"
        try runLab { () throws(LabError) in
            do {
                let options = SyntheticOptions(quarters: quarters, driftStartDay: driftAfter.flatMap(LeadTime.day))
                let result = try SyntheticLeads.write(rows: rows, seed: seed, options: options, to: URL(fileURLWithPath: out))
                let tree = try CanonicalJSON.encode(result)
                try Data(CanonicalJSON.prettyBytes(tree)).write(to: URL(fileURLWithPath: truthPath), options: .atomic)
                try Data(SyntheticLeads.specYAML.utf8).write(to: URL(fileURLWithPath: specPath), options: .atomic)
                print("wrote \(rows) leads to \(out) (won rate \(String(format: "%.4f", result.wonRate))), truth \(truthPath), spec \(specPath)")
            } catch {
                throw .output(path: out, detail: "\(error)")
            }
        }
    }

    func writeEvents(_ path: String) throws {
        let stem = path.hasSuffix(".jsonl") ? String(path.dropLast(6)) : path
        let truthPath = eventsTruth ?? stem + ".truth.json"
        try runLab { () throws(LabError) in
            do {
                let truth = try SyntheticEventLog.write(rows: rows, seed: seed, to: URL(fileURLWithPath: path))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try (encoder.encode(truth) + Data("\n".utf8)).write(to: URL(fileURLWithPath: truthPath), options: .atomic)
                print("wrote \(truth.lines) events (\(truth.duplicates) retried duplicates) for \(rows) leads to \(path) (won \(truth.won)), truth \(truthPath)")
            } catch {
                throw .output(path: path, detail: "\(error)")
            }
        }
    }
}
