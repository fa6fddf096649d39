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
            """)

    @Option(help: "Number of leads.") var rows: Int
    @Option(help: "Seed (same seed, same bytes).") var seed: UInt64
    @Option(help: "CSV to write.") var out: String
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
    }

    func run() throws {
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
}
