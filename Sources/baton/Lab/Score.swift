import ArgumentParser
import BatonSupport
import Foundation
import HandoffRules
import LeadCSV
import ScoringModelFormat

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a CSV of leads with a weight file and write probability, points, stage and reasons.",
        discussion: """
            Output columns: the spec's id column (if any), probability, points, fit_points, \
            engagement_points, stage, reason_1, reason_2, reason_3. Stage comes from --playbook when \
            given, else from the weight file's MQL threshold (nurture/mql; empty without one). \
            Probabilities equal the lab's (same terms, same summation order). A file over 1 MiB is \
            read, scored and written part by part on all cores, never held whole.
            """)

    @Option(help: "Weight file written by `baton fit`.") var model: String
    @Option(help: "CSV of leads with the model's feature columns.") var data: String
    @Option(help: "Where to write the scored CSV.") var out: String
    @Option(help: "Playbook (YAML) whose qualification rules decide the stage; its keys: \(Playbook.formatsReference).") var playbook: String?
    @Flag(
        help:
            "Print rows per second for each step to standard error (a file read part by part on all cores sums each step over the parts; total is wall time)."
    ) var timings = false

    func run() throws {
        FreedMemoryReuse.keepForBatchWork()
        let clock = ContinuousClock()
        let start = clock.now
        for (path, role) in [(model, "weight file"), (data, "data")] + (playbook.map { [($0, "playbook")] } ?? []) {
            if let problem = InputFile.problem(atPath: path) { fail(InputFile.message(problem, path: path, role: role), .usage) }
        }
        let scorer: LeadScorer
        do { scorer = try LeadScorer(contentsOf: URL(fileURLWithPath: model)) } catch { fail(error.description, .dataError) }
        let weights = scorer.weights
        let header: [String]
        do { header = try LeadTableReader.header(url: URL(fileURLWithPath: data)) } catch { fail(error.description, .dataError) }

        var qualifier: Qualifier?
        if let playbook {
            do {
                let book = try Playbook.load(url: URL(fileURLWithPath: playbook))
                qualifier = try Qualifier(playbook: book, scorer: scorer, knownFields: Set(header))
            } catch { fail(error.description, .dataError) }
        }
        let batch = BatchScorer(scorer: scorer)
        let missing = batch.requiredColumns.map(\.name).filter { !header.contains($0) }
        guard missing.isEmpty else { fail(ScoringError.missingColumns(file: data, columns: missing).description, .dataError) }

        var requests = batch.requiredColumns.map { $0.numeric ? ColumnRequest.numeric($0.name) : .text($0.name) }
        let modelColumns = Set(requests.map(\.name))
        for field in qualifier?.referencedFields ?? [] where !modelColumns.contains(field) { requests.append(.text(field)) }
        let idColumn = weights.spec.id.flatMap { header.contains($0) && !modelColumns.contains($0) ? $0 : nil }
        if let idColumn { requests.append(.raw(idColumn)) }

        if qualifier == nil && weights.thresholds?.mql == nil {
            warn("the weight file has no MQL threshold and no --playbook was given: the stage column is left empty")
        }
        let job = Job(batch: batch, qualifier: qualifier, thresholds: weights.thresholds, requests: requests, idColumn: idColumn, file: data)
        // Part by part first: the whole table is never built. A part that does not parse or
        // score cleanly sends the run to the whole read below, whose errors name the file's line.
        let inParts: PartRun?
        do {
            inParts = try job.scoreInParts(out: out)
        } catch {
            fail("\(out): cannot write the scored CSV: \(error.message); check the folder exists and is writable", .failure)
        }
        if let inParts {
            for unseen in inParts.unseenLevels { warn(Self.unseenWarning(unseen)) }
            if timings { printTimings(inParts, total: clock.now - start) }
            return
        }

        let table: LeadTable
        do { table = try LeadTableReader.read(url: URL(fileURLWithPath: data), columns: requests) } catch { fail(error.description, .dataError) }
        let parsed = clock.now
        let columns = job.batchColumns(table)
        let scores: BatchScores
        do { scores = try batch.score(columns: columns, rowCount: table.rowCount, file: data, lineOfRow: table.lineOfRow) } catch {
            fail(error.description, .dataError)
        }
        let stages = job.stages(scores, columns: columns)
        let scored = clock.now
        do {
            try AtomicFile.write(path: out) { file in
                try ScoredCSV.write(scores: scores, idColumn: idColumn, ids: idColumn.map { table.raw($0).values }, stages: stages) {
                    try file.write($0)
                }
            }
        } catch {
            fail("\(out): cannot write the scored CSV: \(error.message); check the folder exists and is writable", .failure)
        }
        let written = clock.now
        for unseen in scores.unseenLevels { warn(Self.unseenWarning(unseen)) }
        if timings {
            warn(
                [
                    Self.timingLine("parse", parsed - start, rows: table.rowCount),
                    Self.timingLine("score", scored - parsed, rows: table.rowCount),
                    Self.timingLine("write", written - scored, rows: table.rowCount),
                    Self.timingLine("total", written - start, rows: table.rowCount),
                ].joined(separator: "\n"), prefix: "")
        }
    }

    /// `step: S s (R rows/s)`, the shape scripts read (`Benchmarks/harness.py`).
    static func timingLine(_ step: String, _ duration: Duration, rows: Int) -> String {
        let s = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        return String(format: "%@: %.3f s (%.0f rows/s)", step, s, s > 0 ? Double(rows) / s : .infinity)
    }

    /// The steps of a part-by-part run: each is the sum over parts of the time its core spent on
    /// it (the cores overlap), and `total` is the wall time.
    private func printTimings(_ run: PartRun, total: Duration) {
        warn(
            [
                Self.timingLine("parse", run.parseTime, rows: run.rows), Self.timingLine("score", run.scoreTime, rows: run.rows),
                Self.timingLine("write", run.writeTime, rows: run.rows), Self.timingLine("total", total, rows: run.rows),
                "(read part by part in \(run.parts) parts on all cores: parse, score and write are each summed over the parts, so they overlap and add up to more than the wall time)",
            ].joined(separator: "\n"), prefix: "")
    }
}

extension Score {
    /// One warning per column: how many cells held values the model never saw, the most frequent
    /// of them, and what they were scored as.
    static func unseenWarning(_ unseen: BatchScores.UnseenCount) -> String {
        let cells = unseen.counts.values.reduce(0, +)
        let shown = unseen.counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5)
            .map { "'\($0.key)' ×\($0.value)" }.joined(separator: ", ")
        let more = unseen.counts.count > 5 ? ", …" : ""
        let scoredAs =
            unseen.scoredAs == otherLevel
            ? "scored as level '\(otherLevel)'"
            : "scored as baseline '\(unseen.scoredAs)' (the feature has no '\(otherLevel)' level) and their reasons say so"
        return
            "\"\(unseen.column)\": \(cells) cell\(cells == 1 ? "" : "s") held values never seen in training (\(unseen.counts.count) distinct: \(shown)\(more)); \(scoredAs). Refit with such rows in the training data to score them on their own"
    }
}

private func warn(_ message: String, prefix: String = "warning: ") {
    FileHandle.standardError.write(Data("\(prefix)\(message)\n".utf8))
}
