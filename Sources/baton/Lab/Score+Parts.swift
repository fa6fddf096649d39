import Foundation
import HandoffRules
import LeadCSV
import ScoringModelFormat

extension Score {
    /// What one `baton score` run needs to score a table (whole, or one part of the file).
    struct Job: Sendable {
        let batch: BatchScorer
        let qualifier: Qualifier?
        let thresholds: Thresholds?
        let requests: [ColumnRequest]
        let idColumn: String?
        /// The data file, as given.
        let file: String

        /// The table's columns as the batch scorer takes them.
        func batchColumns(_ table: LeadTable) -> [String: BatchColumn] {
            var columns: [String: BatchColumn] = [:]
            for request in requests {
                switch request {
                case .numeric(let name):
                    let column = table.numeric(name)
                    columns[name] = .numeric(values: column.values, missing: column.missing)
                case .text(let name):
                    let column = table.text(name)
                    columns[name] = .text(codes: column.codes, levels: column.levels)
                case .raw, .bounds: break
                }
            }
            return columns
        }

        /// Each row's stage: the playbook's decision, else the weight file's MQL threshold, else none.
        func stages(_ scores: BatchScores, columns: [String: BatchColumn]) -> [QualificationStage]? {
            if let qualifier { return qualifier.decide(batch: scores, columns: columns).stages }
            guard thresholds?.mql != nil else { return nil }
            return (0..<scores.rowCount).map { scores.thresholdStage(row: $0, thresholds: thresholds) ?? .nurture }
        }

        /// Scores the file part by part (``LeadTableReader/mapParts(url:columns:partBytes:_:)``) and
        /// writes the scored CSV to `out` as the parts come, in file order: the whole table and the
        /// whole output are never held. Nil, with `out` untouched, when a part does not parse or
        /// score cleanly: the caller reads the file whole, whose errors name the file's line.
        /// - Throws: ``AtomicFile/Failure`` when the output cannot be written.
        func scoreInParts(out: String) throws(AtomicFile.Failure) -> PartRun? {
            var run: PartRun?
            var declined = false
            do {
                try AtomicFile.write(path: out) { file in
                    try ScoredCSV.header(idColumn: idColumn).withUnsafeBufferPointer { try file.write($0) }
                    let writer = OrderedWriter(file: file)
                    let parts: [PartResult]?
                    do {
                        parts = try LeadTableReader.mapParts(url: URL(fileURLWithPath: self.file), columns: requests) { part in
                            score(part, into: writer)
                        }
                    } catch {
                        parts = nil  // the whole read reports what is wrong with the header
                    }
                    if let failure = writer.failure { throw failure }
                    guard let parts else {
                        declined = true
                        throw Declined()
                    }
                    run = PartRun(parts)
                }
            } catch {
                if declined { return nil }
                throw error
            }
            return run
        }

        /// One part scored and formatted, handed to `writer`; nil where the whole read would fail.
        private func score(_ part: LeadTablePart, into writer: OrderedWriter) -> PartResult? {
            let clock = ContinuousClock()
            let start = clock.now
            let table = part.table
            let columns = batchColumns(table)
            guard let scores = try? batch.score(columns: columns, rowCount: table.rowCount, file: file, lineOfRow: table.lineOfRow) else {
                writer.abandon()
                return nil
            }
            let stages = stages(scores, columns: columns)
            let scored = clock.now
            var bytes: [UInt8] = []
            bytes.reserveCapacity(table.rowCount * 200)
            ScoredCSV.write(
                scores: scores, idColumn: idColumn, ids: idColumn.map { table.raw($0).values }, stages: stages,
                blockRows: max(1, table.rowCount), includeHeader: false
            ) { bytes.append(contentsOf: $0) }
            guard writer.deliver(part.index, bytes) else { return nil }
            return PartResult(
                rows: table.rowCount, unseen: scores.unseenLevels, parseTime: part.parseTime, scoreTime: scored - start,
                writeTime: clock.now - scored)
        }
    }

    /// What one part met and how long its steps took on its core.
    struct PartResult: Sendable {
        var rows: Int
        var unseen: [BatchScores.UnseenCount]
        var parseTime: Duration
        var scoreTime: Duration
        var writeTime: Duration
    }

    /// A part-by-part run: rows, unseen levels summed over the parts (in the model's feature
    /// order, as the whole table's scoring lists them), and each step's time summed over parts.
    struct PartRun {
        var rows = 0
        var parts = 0
        var unseenLevels: [BatchScores.UnseenCount] = []
        var parseTime = Duration.zero
        var scoreTime = Duration.zero
        var writeTime = Duration.zero

        init(_ results: [PartResult]) {
            parts = results.count
            var order: [String] = []
            var merged: [String: BatchScores.UnseenCount] = [:]
            for result in results {
                rows += result.rows
                parseTime += result.parseTime
                scoreTime += result.scoreTime
                writeTime += result.writeTime
                for unseen in result.unseen {
                    if var known = merged[unseen.column] {
                        known.counts.merge(unseen.counts, uniquingKeysWith: +)
                        merged[unseen.column] = known
                    } else {
                        merged[unseen.column] = unseen
                        order.append(unseen.column)
                    }
                }
            }
            unseenLevels = order.compactMap { merged[$0] }
        }
    }

    /// The part-by-part run gave way to the whole read (thrown through `AtomicFile`, which then
    /// removes its temporary file).
    private struct Declined: Error {}
}

/// Writes the parts' bytes to the output in part order as they arrive from any core: a part that
/// comes early waits in memory until those before it are written (with two cores, a part or two).
private final class OrderedWriter: @unchecked Sendable {
    private let file: AtomicFile
    private let lock = NSLock()
    private var next = 0
    private var pending: [Int: [UInt8]] = [:]
    /// The first write that failed; nothing is written after it.
    private(set) var failure: AtomicFile.Failure? {
        get { lock.withLock { failed } }
        set { lock.withLock { failed = newValue } }
    }
    private var failed: AtomicFile.Failure?

    init(file: AtomicFile) { self.file = file }

    private var abandoned = false

    /// Stops writing: a part will never come (its rows go to the whole read), so none after it
    /// is kept.
    func abandon() {
        lock.withLock {
            abandoned = true
            pending = [:]
        }
    }

    /// Queues part `index`'s bytes and writes every part that is now next in line; false once a
    /// write has failed or the run was abandoned.
    func deliver(_ index: Int, _ bytes: [UInt8]) -> Bool {
        lock.withLock {
            guard !abandoned else { return false }
            pending[index] = bytes
            while failed == nil, let ready = pending.removeValue(forKey: next) {
                do throws(AtomicFile.Failure) {
                    try ready.withUnsafeBufferPointer { (buffer) throws(AtomicFile.Failure) in try file.write(buffer) }
                } catch {
                    failed = error
                }
                next += 1
            }
            return failed == nil
        }
    }
}
