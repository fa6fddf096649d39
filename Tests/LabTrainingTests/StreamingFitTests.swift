import Foundation
import LabNumerics
import LabTraining
import LeadCSV
import ScoringModelFormat
import TestSupport
import Testing

/// `CalibrationLab.fitStreaming` against `CalibrationLab.fit` on the same files: the same
/// model to rounding (the sums run per block, then across blocks), the same learned
/// encodings and training metadata exactly, and the same errors at the same file lines.
@Suite struct StreamingCSVFitTests {
    static let leadsCSV = SharedData.projectRoot.appendingPathComponent("Datasets/leads_train.csv")
    static let leadsSpec = SharedData.projectRoot.appendingPathComponent("Datasets/leads.spec.yaml")
    static let tolerance = 1e-10

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The first `rows` data rows of the bundled training file.
    static func leadsPrefix(rows: Int) throws -> URL {
        let lines = try String(contentsOf: leadsCSV, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let url = try scratch().appendingPathComponent("leads_\(rows).csv")
        try (lines.prefix(rows + 1).joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The bundled training file with data row `row` (0-based) edited by `edit` (fields split on commas).
    static func leadsEdited(row: Int, _ edit: (inout [String]) -> Void) throws -> URL {
        var lines = try String(contentsOf: leadsCSV, encoding: .utf8).split(separator: "\n").map(String.init)
        var fields = lines[row + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        edit(&fields)
        lines[row + 1] = fields.joined(separator: ",")
        let url = try scratch().appendingPathComponent("leads_edited.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func column(_ name: String) throws -> Int {
        let header = try String(contentsOf: leadsCSV, encoding: .utf8).prefix { $0 != "\n" }.split(separator: ",")
        return try #require(header.firstIndex { $0 == name })
    }

    func expectSame(
        _ memory: CalibrationLab.FitRun, _ stream: CalibrationLab.FitRun, blockRows: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let a = memory.fit, b = stream.fit
        let context = "blockRows \(blockRows)"
        #expect(stream.path == .streaming(blockRows: blockRows), sourceLocation: sourceLocation)
        #expect(memory.path == .inMemory, sourceLocation: sourceLocation)
        #expect(a.names == b.names && a.iterations == b.iterations && a.converged == b.converged, "\(context)", sourceLocation: sourceLocation)
        var worstCoefficient = 0.0, worstSE = 0.0
        for j in a.coefficients.indices {
            worstCoefficient = max(worstCoefficient, abs(a.coefficients[j] - b.coefficients[j]) / max(1, abs(a.coefficients[j])))
            worstSE = max(worstSE, abs(a.standardErrors[j] - b.standardErrors[j]) / a.standardErrors[j])
        }
        #expect(worstCoefficient <= Self.tolerance, "\(context): coefficients differ by \(worstCoefficient)", sourceLocation: sourceLocation)
        #expect(worstSE <= Self.tolerance, "\(context): standard errors differ by \(worstSE)", sourceLocation: sourceLocation)
        #expect(isClose(a.logLikelihood, b.logLikelihood, relative: Self.tolerance), "\(context)", sourceLocation: sourceLocation)
        #expect(a.nullLogLikelihood == b.nullLogLikelihood && a.rows == b.rows, "\(context)", sourceLocation: sourceLocation)
        // What the first pass learned is exactly what the in-memory build learned.
        let wa = memory.weightFile, wb = stream.weightFile
        #expect(wa.encodings == wb.encodings, "\(context)", sourceLocation: sourceLocation)
        var training = wb.training
        #expect(training.fitPath == "streaming" && wa.training.fitPath == "in_memory", sourceLocation: sourceLocation)
        training.fitPath = wa.training.fitPath
        training.createdAt = wa.training.createdAt
        #expect(training == wa.training, "\(context)", sourceLocation: sourceLocation)
        // The in-sample metrics from the scoring pass.
        #expect(
            memory.metrics.count == stream.metrics.count && memory.metrics.positives == stream.metrics.positives,
            sourceLocation: sourceLocation)
        #expect(isClose(memory.metrics.auc.value, stream.metrics.auc.value, relative: 1e-12), sourceLocation: sourceLocation)
        #expect(isClose(memory.metrics.brier, stream.metrics.brier, relative: 1e-10), sourceLocation: sourceLocation)
    }

    func fitBoth(_ csv: URL, spec: URL, blockRows: Int) throws -> (CalibrationLab.FitRun, CalibrationLab.FitRun) {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        return (
            try CalibrationLab.fit(data: csv, spec: spec, now: now),
            try CalibrationLab.fitStreaming(data: csv, spec: spec, blockRows: blockRows, now: now)
        )
    }

    // 997 does not divide 10 000 rows; 65 536 holds the whole file in one block.
    @Test(arguments: [997, 4096, 65_536])
    func bundledTrainingFileEqualsInMemory(blockRows: Int) throws {
        let (memory, stream) = try fitBoth(Self.leadsCSV, spec: Self.leadsSpec, blockRows: blockRows)
        expectSame(memory, stream, blockRows: blockRows)
    }

    // One row per block costs a parse and a kernel call per row, so a 400-row prefix.
    @Test(arguments: [1, 7])
    func tinyBlocksEqualInMemory(blockRows: Int) throws {
        let csv = try Self.leadsPrefix(rows: 400)
        let (memory, stream) = try fitBoth(csv, spec: Self.leadsSpec, blockRows: blockRows)
        expectSame(memory, stream, blockRows: blockRows)
    }

    /// X Education: `drop_row` rules, recodes and rare levels merged into `Other` — counted over
    /// every block before any level is merged.
    @Test(arguments: [1000, 4099])
    func xEducationEqualsInMemory(blockRows: Int) throws {
        let dir = try Self.scratch()
        let spec = dir.appendingPathComponent("x.spec.yaml")
        try SharedData.xEducationSpec.write(to: spec, atomically: true, encoding: .utf8)
        let (memory, stream) = try fitBoth(SharedData.xEducationLeads, spec: spec, blockRows: blockRows)
        expectSame(memory, stream, blockRows: blockRows)
        #expect(stream.fit.rows == 9103 && stream.weightFile.training.rowsDropped == 137)
    }

    @Test func quotedCellsWithLineBreaksAcrossBlockBoundaries() throws {
        // Every lead id becomes a quoted two-line cell: physical lines no longer equal rows,
        // and a block of 3 rows always ends inside what a line-based split would cut.
        let lines = try String(contentsOf: Self.leadsPrefix(rows: 400), encoding: .utf8).split(separator: "\n")
        var text = String(lines[0]) + "\n"
        for line in lines.dropFirst() {
            let comma = try #require(line.firstIndex(of: ","))
            text += "\"\(line[..<comma])\nsecond line, with a comma\"\(line[comma...])\n"
        }
        let csv = try Self.scratch().appendingPathComponent("quoted.csv")
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let (memory, stream) = try fitBoth(csv, spec: Self.leadsSpec, blockRows: 3)
        expectSame(memory, stream, blockRows: 3)
    }

    // MARK: Bad input in a late block

    /// Both paths fail, with the same message (file, line, column).
    func expectSameFailure(
        _ csv: URL, spec: URL = leadsSpec, blockRows: Int = 500, contains: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let memory = try #require(throws: LabError.self, sourceLocation: sourceLocation) {
            try CalibrationLab.fit(data: csv, spec: spec)
        }
        let stream = try #require(throws: LabError.self, sourceLocation: sourceLocation) {
            try CalibrationLab.fitStreaming(data: csv, spec: spec, blockRows: blockRows)
        }
        #expect(stream.description == memory.description, sourceLocation: sourceLocation)
        #expect(stream.description.contains(contains), "\(stream.description)", sourceLocation: sourceLocation)
    }

    @Test func aNonNumberInALateBlockNamesItsLine() throws {
        let pages = try Self.column("page_views")
        let csv = try Self.leadsEdited(row: 9_876) { $0[pages] = "12x5" }
        try expectSameFailure(csv, contains: "line 9878, column \"page_views\": \"12x5\" is not a number")
    }

    @Test func anEmptyNumericCellInALateBlockNamesItsLine() throws {
        // Found by the encoding of the first Newton pass (missing: error), not by the reader.
        let pages = try Self.column("page_views")
        let csv = try Self.leadsEdited(row: 8_001) { $0[pages] = "" }
        try expectSameFailure(csv, contains: "line 8003")
    }

    @Test func anEmptyOutcomeInALateBlockNamesItsLine() throws {
        let won = try Self.column("won")
        let csv = try Self.leadsEdited(row: 9_998) { $0[won] = "" }
        try expectSameFailure(csv, contains: "line 10000")
    }

    @Test func aRowWithTooFewFieldsInTheLastBlock() throws {
        let csv = try Self.leadsEdited(row: 9_999) { $0.removeLast() }
        try expectSameFailure(csv, contains: "line 10001")
    }

    // MARK: Fit errors

    static func smallSpec(_ features: String) throws -> URL {
        let url = try scratch().appendingPathComponent("small.spec.yaml")
        try "outcome: {column: won, positive: [\"1\"]}\nfeatures:\n\(features)".write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func smallCSV(rows: Int, _ row: (Int) -> String) throws -> URL {
        let url = try scratch().appendingPathComponent("small.csv")
        try ("won,a,c,industry\n" + (0..<rows).map(row).joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Issue 15: `missing: indicator` on a column with no empty cell in the training rows drops
    /// the indicator on both paths (a late block's empty cell counts), notes it, and fits;
    /// under ridge a constant column fits with estimate 0 instead of failing.
    @Test func indicatorWithoutEmptyCellsIsDroppedByBothPaths() throws {
        var rng = SplitMix64(seed: 11)
        let outcomes = (0..<600).map { _ in rng.uniform() < 0.4 ? 1 : 0 }
        let full = try Self.smallCSV(rows: 600) { i in "\(outcomes[i]),\(i % 17),\(i % 5),x" }
        let spec = try Self.smallSpec("  - {column: a, type: numeric, missing: indicator}\n  - {column: c, type: numeric}\n")
        let (memory, stream) = try fitBoth(full, spec: spec, blockRows: 64)
        expectSame(memory, stream, blockRows: 64)
        for run in [memory, stream] {
            #expect(run.fit.names == ["(intercept)", "a", "c"])
            let a = try #require(run.weightFile.encoding(for: "a"))
            #expect(a.missing == .zero && a.missingIndicatorDropped == true)
            #expect(run.weightFile.encoding(for: "c")?.missingIndicatorDropped == nil)
            #expect(LabReport.fitSummary(run).contains("Note: missing(a) dropped: no training row has an empty \"a\" cell"))
            // The stated rule: an empty cell at scoring time counts as 0.
            #expect(try a.termValues(rawCell: "") == [0])
        }
        let decoded = try WeightFile.decode(data: try memory.weightFile.encoded(), file: "m.json")
        #expect(decoded == memory.weightFile)
        #expect(String(decoding: try memory.weightFile.encoded(), as: UTF8.self).contains("\"missing_indicator_dropped\": true"))

        // Empty cells only in the last block keep the indicator on both paths.
        let late = try Self.smallCSV(rows: 600) { i in "\(outcomes[i]),\(i >= 580 ? "" : "\(i % 17)"),\(i % 5),x" }
        let (memoryLate, streamLate) = try fitBoth(late, spec: spec, blockRows: 64)
        expectSame(memoryLate, streamLate, blockRows: 64)
        #expect(streamLate.fit.names == ["(intercept)", "a", "missing(a)", "c"])

        // A constant column: refused under maximum likelihood, estimate 0 under ridge.
        let constant = try Self.smallSpec("  - {column: a, type: numeric}\n  - {column: c, type: numeric}\n  - {column: industry, type: numeric}\n")
        let ones = try Self.smallCSV(rows: 600) { i in "\(outcomes[i]),\(i % 17),\(i % 5),7" }
        try expectSameFailure(ones, spec: constant, blockRows: 64, contains: "constant term: industry (always 7)")
        let ridge = try CalibrationLab.fit(data: ones, spec: constant, penalty: 1)
        let ridgeStream = try CalibrationLab.fitStreaming(data: ones, spec: constant, penalty: 1, blockRows: 64)
        #expect(ridge.fit.converged && abs(ridge.fit.coefficients[3]) < 1e-9 && abs(ridgeStream.fit.coefficients[3]) < 1e-9)
    }

    @Test func constantAndSeparatedTermsAreReportedByBothPaths() throws {
        var rng = SplitMix64(seed: 5)
        let outcomes = (0..<600).map { i in i % 10 == 0 ? 0 : (rng.uniform() < 0.4 ? 1 : 0) }
        let csv = try Self.smallCSV(rows: 600) { i in
            "\(outcomes[i]),\(i % 17),3,\(i % 10 == 0 ? "utilities" : (i % 3 == 0 ? "retail" : "software"))"
        }
        let constant = try Self.smallSpec("  - {column: a, type: numeric}\n  - {column: c, type: numeric}\n")
        try expectSameFailure(csv, spec: constant, blockRows: 64, contains: "c")
        let separated = try Self.smallSpec("  - {column: a, type: numeric}\n  - {column: industry, type: categorical}\n")
        try expectSameFailure(csv, spec: separated, blockRows: 64, contains: "industry=utilities")
    }
}
