import ArgumentParser
import Foundation
import LabTraining
import ModelExport
import ScoringModelFormat

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Export a verified weight file for production: JSON, the score as one SQL expression, a PMML 4.4 Scorecard, or the points table (scorecard)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, sql, pmml, scorecard }
    enum TableFormat: String, ExpressibleByArgument, CaseIterable { case markdown, csv }

    @Option(help: "Weight file written by `baton fit`.") var model: String
    @Option(help: "json | sql | pmml | scorecard") var format: Format
    @Option(help: "Scorecard: markdown | csv (default: csv when --out ends in .csv, else markdown).")
    var scorecardFormat: TableFormat?
    @Option(help: "SQL: standard | postgresql | sqlite.") var dialect: String = "standard"
    @Option(help: "SQL: points | log_odds | probability.") var output: String = "points"
    @Option(help: "SQL: write a SELECT over this table instead of a bare expression.") var table: String?
    @Option(help: "Write here instead of standard output.") var out: String?

    func validate() throws {
        guard SQLDialect(rawValue: dialect) != nil else {
            throw ValidationError("--dialect must be one of \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard SQLScoreOutput(rawValue: output) != nil else {
            throw ValidationError("--output must be one of \(SQLScoreOutput.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        runLab { () throws(LabError) in
            let weights = try CalibrationLab.loadModel(URL(fileURLWithPath: model))
            let bytes: Data
            do {
                switch format {
                case .json:
                    bytes = try weights.encoded()
                case .sql:
                    let dialect = SQLDialect(rawValue: self.dialect) ?? .standard
                    let output = SQLScoreOutput(rawValue: self.output) ?? .points
                    let text =
                        try table.map { try SQLExport.selectStatement(for: weights, table: $0, dialect: dialect, output: output) }
                        ?? SQLExport.scoreExpression(for: weights, dialect: dialect, output: output)
                    bytes = Data((text + "\n").utf8)
                case .pmml:
                    bytes = Data(try PMMLExport.document(for: weights).utf8)
                case .scorecard:
                    let table = scorecardFormat ?? (out.map { $0.lowercased().hasSuffix(".csv") } == true ? .csv : .markdown)
                    bytes = Data((table == .csv ? ScorecardExport.csv(for: weights) : ScorecardExport.markdown(for: weights)).utf8)
                }
            } catch let error as WeightFileError {
                throw .weightFile(error)
            } catch {
                throw .output(path: out ?? "standard output", detail: "\(error)")
            }
            if let out {
                do { try bytes.write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                    throw .output(path: out, detail: error.localizedDescription)
                }
            } else {
                FileHandle.standardOutput.write(bytes)
            }
        }
    }
}
