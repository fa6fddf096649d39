import BatonSupport
import Dispatch
import Foundation
import LabNumerics
import LeadCSV
import ScoringModelFormat

/// Unseen categorical levels met while applying a fitted encoding to new rows.
package struct UnseenLevels: Sendable, Equatable, CustomStringConvertible {
    package var column: String
    /// Unseen level (after recoding) → rows.
    package var counts: [String: Int]
    /// Where they went: `Other`, or the baseline when the model has no `Other`.
    package var mappedTo: String
    /// Rows with an unseen level.
    package var rows: Int { counts.values.reduce(0, +) }

    package var description: String {
        "\(rows) row\(rows == 1 ? "" : "s") of \"\(column)\" had levels the model never saw (\(counts.count) distinct) and were scored as \(mappedTo)"
    }
}

/// Fills a column-major design matrix from encodings and typed table columns: allocated
/// once, filled column by column, categorical columns through one lookup per distinct level.
package enum DesignMatrixBuilder {
    /// The design matrix of `rows` of `table` (in that order), plus unseen-level counts.
    ///
    /// Its columns are ``FeatureEncoding/terms(of:)``; row `i` equals the concatenation of
    /// `termValues(rawCell:)` of row `rows[i]`'s cells, with 1 for the intercept.
    /// - Precondition: every encoding's column was read (numeric as `.numeric`, categorical as `.text`).
    package static func build(
        encodings: [FeatureEncoding], table: LeadTable, rows: [Int]
    ) throws(DataError) -> (matrix: DesignMatrix, unseen: [UnseenLevels]) {
        let built = try buildWithOneHot(encodings: encodings, table: table, rows: rows)
        return (built.matrix, built.unseen)
    }

    /// ``build(encodings:table:rows:)`` plus each categorical feature's dummy columns and row
    /// levels (``OneHotFeature``), which the fit takes as level codes instead of scanning the
    /// matrix for them.
    package static func buildWithOneHot(
        encodings: [FeatureEncoding], table: LeadTable, rows: [Int]
    ) throws(DataError)
        -> (matrix: DesignMatrix, unseen: [UnseenLevels], oneHot: [OneHotFeature])
    {
        let terms = FeatureEncoding.terms(of: encodings)
        let (values, unseen, oneHot) = try fill(
            encodings: encodings, table: table, rows: rows, targetColumns: firstColumns(of: encodings),
            width: terms.count, dummiesAsCodes: false)
        let matrix = DesignMatrix(rows: rows.count, columns: terms.count, values: values, names: terms.map(\.name), interceptColumn: 0)
        return (matrix, unseen, oneHot)
    }

    /// The design of ``build(encodings:table:rows:)`` with the categorical features' dummies
    /// kept as level codes (``CodedDesign``): the values of every other column are filled as
    /// there, and the dummies' 0/1 columns are never written.
    ///
    /// When `table` was read with one spare numeric column (``LeadTable/numberBlock``; a caller
    /// asks for it only when it reads those numbers no more), every row is kept and each dense
    /// design column after the intercept is one numeric feature's single term, the design is
    /// built over the table's numbers where they lie: the intercept in the spare column, each term over the column it
    /// comes from (row i's value read before it is replaced), so the dense block needs no
    /// memory of its own (for 1e6 leads × 15 numeric terms, 128 MB a fresh process would map
    /// page by page). The values are the same; the table's numeric columns of those features
    /// hold the terms afterwards. Otherwise the design has memory of its own.
    package static func buildCoded(
        encodings: [FeatureEncoding], table: LeadTable, rows: [Int]
    ) throws(DataError) -> (design: CodedDesign, unseen: [UnseenLevels]) {
        let terms = FeatureEncoding.terms(of: encodings)
        let (targetColumns, width) = denseColumns(of: encodings)
        if let block = table.numberBlock,
            canOverwrite(block, encodings: encodings, targetColumns: targetColumns, width: width, rows: rows.count)
        {
            let job = FillJob(
                encodings: encodings, table: table, rows: rows, offsets: targetColumns, dummiesAsCodes: true)
            let (unseen, oneHot) = try job.run(into: UnsafeMutableBufferPointer(start: block.base, count: width * rows.count))
            let design = CodedDesign(
                rows: rows.count, columns: terms.count, names: terms.map(\.name), interceptColumn: 0,
                dense: block.leadingColumns(width), oneHot: oneHot)
            return (design, unseen)
        }
        let (values, unseen, oneHot) = try fill(
            encodings: encodings, table: table, rows: rows, targetColumns: targetColumns, width: width,
            dummiesAsCodes: true)
        let design = CodedDesign(
            rows: rows.count, columns: terms.count, names: terms.map(\.name), interceptColumn: 0, dense: values,
            oneHot: oneHot)
        return (design, unseen)
    }

    /// Whether ``buildCoded(encodings:table:rows:)`` can build over `block`:
    /// one spare column (the intercept's), every row kept, and each dense column after the
    /// intercept a numeric feature's only term (no bins, no missing indicator) whose values
    /// sit in that very column of the block.
    static func canOverwrite(_ block: NumberBlock, encodings: [FeatureEncoding], targetColumns: [Int], width: Int, rows: Int) -> Bool {
        guard block.spare == 1, block.rows == rows, width <= block.columns else { return false }
        var covered = 1
        for (f, encoding) in encodings.enumerated() where !keepsCodes(encoding) {
            guard encoding.type == .numeric, encoding.bins == nil, encoding.terms.count == 1,
                block.columnOfName[encoding.column] == targetColumns[f]
            else { return false }
            covered += 1
        }
        return covered == width
    }

    /// Each feature's first column in a ``CodedDesign``'s dense block (the intercept is
    /// position 0; a coded feature's entry is where the next dense feature starts), and the
    /// block's width.
    static func denseColumns(of encodings: [FeatureEncoding]) -> (first: [Int], width: Int) {
        var first: [Int] = []
        var width = 1
        for encoding in encodings {
            first.append(width)
            if !keepsCodes(encoding) { width += encoding.terms.count }
        }
        return (first, width)
    }

    /// Whether a categorical feature's dummies are given to the fit as level codes (they fit
    /// in a `UInt16` for any realistic feature; beyond that the fit detects them).
    static func keepsCodes(_ encoding: FeatureEncoding) -> Bool {
        encoding.type == .categorical && !encoding.dummyLevels.isEmpty && encoding.dummyLevels.count <= Int(UInt16.max)
    }

    /// Fills `width` column-major columns of `rows.count` rows: column 0 the intercept, feature
    /// f's columns from `targetColumns[f]` (none for coded dummies when `dummiesAsCodes`).
    private static func fill(
        encodings: [FeatureEncoding], table: LeadTable, rows: [Int], targetColumns: [Int], width: Int,
        dummiesAsCodes: Bool
    ) throws(DataError) -> (values: [Double], unseen: [UnseenLevels], oneHot: [OneHotFeature]) {
        let n = rows.count
        let job = FillJob(encodings: encodings, table: table, rows: rows, offsets: targetColumns, dummiesAsCodes: dummiesAsCodes)
        var filled: Result<(unseen: [UnseenLevels], oneHot: [OneHotFeature]), DataError> = .success(([], []))
        let values = [Double](unsafeUninitializedCapacity: n * width) { buffer, initialized in
            HugePages.advise(buffer)
            filled = Result { () throws(DataError) in try job.run(into: buffer) }
            initialized = n * width
        }
        let (unseen, oneHot) = try filled.get()
        return (values, unseen, oneHot)
    }

    /// Each encoding's first design column (column 0 is the intercept).
    static func firstColumns(of encodings: [FeatureEncoding]) -> [Int] {
        var offsets: [Int] = []
        var offset = 1
        for encoding in encodings {
            offsets.append(offset)
            offset += encoding.terms.count
        }
        return offsets
    }

    /// η = Xβ for `rows` of `table` without the design matrix: the rows are encoded in blocks
    /// of `blockRows` as coded designs (dense columns filled, dummies as level codes, see
    /// ``CodedDesign``), and each block's η is summed term by term in column order, so η equals
    /// ``WeightFile/probabilities(_:)``'s on the whole matrix (a dummy's 0 adds nothing, its 1
    /// adds βⱼ). For 1e6 leads × 60 terms that is ~10 MB touched per core instead of 480 MB.
    ///
    /// Errors and unseen levels are those of ``build(encodings:table:rows:)``: when a block
    /// meets a bad cell, the whole matrix is built to throw the error it would throw.
    package static func linearPredictor(
        encodings: [FeatureEncoding], table: LeadTable, rows: [Int], coefficients: [Double], blockRows: Int = 16_384
    ) throws(DataError) -> (eta: [Double], unseen: [UnseenLevels]) {
        try linearPredictor(
            LinearPredictorPlan(encodings: encodings, coefficients: coefficients), table: table, rows: rows, blockRows: blockRows)
    }

    /// What ``linearPredictor(encodings:table:rows:coefficients:blockRows:)`` derives from the
    /// model alone (term offsets and names, each numeric feature's values at 0…1023), computed
    /// once for a file scored part by part.
    package struct LinearPredictorPlan: Sendable {
        let encodings: [FeatureEncoding]
        let coefficients: [Double]
        let offsets: [Int]
        let names: [String]
        let wholeNumbers: [[Double]]

        /// - Precondition: one coefficient per term of `encodings`.
        package init(encodings: [FeatureEncoding], coefficients: [Double]) {
            let terms = FeatureEncoding.terms(of: encodings)
            precondition(coefficients.count == terms.count, "linearPredictor: \(terms.count) terms, \(coefficients.count) coefficients")
            self.encodings = encodings
            self.coefficients = coefficients
            offsets = DesignMatrixBuilder.firstColumns(of: encodings)
            names = terms.map(\.name)
            wholeNumbers = encodings.map { DesignMatrixBuilder.wholeNumberValues($0) }
        }
    }

    /// ``linearPredictor(encodings:table:rows:coefficients:blockRows:)`` with the model's part prepared.
    package static func linearPredictor(
        _ plan: LinearPredictorPlan, table: LeadTable, rows: [Int], blockRows: Int = 16_384
    ) throws(DataError) -> (eta: [Double], unseen: [UnseenLevels]) {
        let job = BlockJob(plan: plan, table: table, rows: rows, blockRows: max(1, blockRows))
        let eta = [Double](unsafeUninitializedCapacity: rows.count) { buffer, initialized in
            job.eta = buffer
            // One worker (a part of a file read part by part, already on a core of its own) runs
            // here: libdispatch's apply would read the online cores from /sys once more.
            if job.workers == 1 {
                job.run(worker: 0)
            } else {
                DispatchQueue.concurrentPerform(iterations: job.workers) { job.run(worker: $0) }
            }
            initialized = rows.count
        }
        if job.failed {
            _ = try build(encodings: plan.encodings, table: table, rows: rows)
            preconditionFailure("DesignMatrixBuilder: a block failed that the whole matrix does not")
        }
        return (eta, job.unseen())
    }

    /// The blocks of ``linearPredictor(encodings:table:rows:coefficients:blockRows:)``: worker k
    /// takes blocks k, k + workers, …, each encoded into the worker's own buffer.
    private final class BlockJob: @unchecked Sendable {
        let encodings: [FeatureEncoding]
        let table: LeadTable
        let rows: [Int]
        let coefficients: [Double]
        let blockRows: Int
        let workers: Int
        let offsets: [Int]
        let names: [String]
        let wholeNumbers: [[Double]]
        var eta = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
        private let lock = NSLock()
        private var failure = false
        /// Per feature: unseen level → rows, summed over blocks.
        private var unseenCounts: [[String: Int]]
        private var unseenMappedTo: [String?]

        init(plan: LinearPredictorPlan, table: LeadTable, rows: [Int], blockRows: Int) {
            encodings = plan.encodings
            self.table = table
            self.rows = rows
            coefficients = plan.coefficients
            self.blockRows = blockRows
            let blocks = (rows.count + blockRows - 1) / blockRows
            workers = max(1, min(onlineProcessorCount(), blocks))
            offsets = plan.offsets
            names = plan.names
            wholeNumbers = plan.wholeNumbers
            unseenCounts = Array(repeating: [:], count: encodings.count)
            unseenMappedTo = Array(repeating: nil, count: encodings.count)
        }

        var failed: Bool { lock.withLock { failure } }

        func unseen() -> [UnseenLevels] {
            encodings.indices.compactMap { f in
                guard let mappedTo = unseenMappedTo[f], !unseenCounts[f].isEmpty else { return nil }
                return UnseenLevels(column: encodings[f].column, counts: unseenCounts[f], mappedTo: mappedTo)
            }
        }

        func run(worker: Int) {
            let p = coefficients.count
            let (denseFirst, width) = DesignMatrixBuilder.denseColumns(of: encodings)
            var block = worker
            while block * blockRows < rows.count, !failed {
                let start = block * blockRows
                let end = min(rows.count, start + blockRows)
                let blockRowIndices = Array(rows[start..<end])
                let m = end - start
                var found: [(Int, UnseenLevels)] = []
                var oneHot: [OneHotFeature] = []
                // The block as a coded design: the dense columns filled, the dummies as codes.
                let dense = [Double](unsafeUninitializedCapacity: m * width) { matrix, initialized in
                    initialized = m * width
                    matrix.baseAddress.map { $0.initialize(repeating: 1, count: m) }  // the intercept
                    do throws(DataError) {
                        for (f, encoding) in encodings.enumerated() {
                            switch encoding.type {
                            case .numeric:
                                try DesignMatrixBuilder.fillNumeric(
                                    encoding, table.numeric(encoding.column), rows: blockRowIndices, table: table,
                                    into: matrix, column: denseFirst[f], wholeNumbers: wholeNumbers[f])
                            case .categorical:
                                let coded = DesignMatrixBuilder.keepsCodes(encoding)
                                let filled = DesignMatrixBuilder.fillCategorical(
                                    encoding, table.text(encoding.column), rows: blockRowIndices, into: matrix,
                                    column: denseFirst[f], writeDummies: !coded, designColumn: offsets[f])
                                if let report = filled.unseen { found.append((f, report)) }
                                if coded, let feature = filled.oneHot { oneHot.append(feature) }
                            }
                        }
                    } catch {
                        lock.withLock { failure = true }
                    }
                }
                if failed { return }
                let design = CodedDesign(rows: m, columns: p, names: names, interceptColumn: 0, dense: dense, oneHot: oneHot)
                design.linearPredictor(coefficients).withUnsafeBufferPointer { blockEta in
                    (eta.baseAddress! + start).initialize(from: blockEta.baseAddress!, count: m)
                }
                if !found.isEmpty {
                    lock.withLock {
                        for (f, report) in found {
                            unseenCounts[f].merge(report.counts, uniquingKeysWith: +)
                            unseenMappedTo[f] = report.mappedTo
                        }
                    }
                }
                block += workers
            }
        }
    }

    /// One task per feature (task 0: the intercept), each writing its own columns and its own result.
    private final class FillJob: @unchecked Sendable {
        let encodings: [FeatureEncoding]
        let table: LeadTable
        let rows: [Int]
        let offsets: [Int]
        let dummiesAsCodes: Bool
        /// Each feature's first design column (`offsets` are columns of `buffer`).
        let designColumns: [Int]
        var buffer = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
        typealias Filled = Result<(UnseenLevels?, OneHotFeature?), DataError>
        /// Per feature, written only by its task.
        let slots: UnsafeMutablePointer<Filled?>
        var results: [Filled?] { Array(UnsafeBufferPointer(start: slots, count: encodings.count)) }

        /// Fills `buffer` with every feature, the features on all cores (they fill disjoint
        /// columns; every cell is written once, zeros included, with no zero-fill beforehand),
        /// and returns the unseen levels and one-hot codes in feature order, or the error of the
        /// first feature that failed (the one a feature-by-feature fill would meet first).
        func run(into buffer: UnsafeMutableBufferPointer<Double>) throws(DataError) -> (unseen: [UnseenLevels], oneHot: [OneHotFeature]) {
            self.buffer = buffer
            DispatchQueue.concurrentPerform(iterations: encodings.count + 1) { fill($0) }
            var unseen: [UnseenLevels] = []
            var oneHot: [OneHotFeature] = []
            for result in results {
                switch result {
                case let .success((report, feature)):
                    if let report { unseen.append(report) }
                    if let feature { oneHot.append(feature) }
                case let .failure(error):
                    throw error
                case nil:
                    preconditionFailure("DesignMatrixBuilder: a feature was not filled")
                }
            }
            return (unseen, oneHot)
        }

        init(encodings: [FeatureEncoding], table: LeadTable, rows: [Int], offsets: [Int], dummiesAsCodes: Bool) {
            self.encodings = encodings
            self.table = table
            self.rows = rows
            self.offsets = offsets
            self.dummiesAsCodes = dummiesAsCodes
            designColumns = DesignMatrixBuilder.firstColumns(of: encodings)
            slots = .allocate(capacity: max(1, encodings.count))
            slots.initialize(repeating: nil, count: max(1, encodings.count))
        }

        deinit {
            slots.deinitialize(count: max(1, encodings.count))
            slots.deallocate()
        }

        func fill(_ task: Int) {
            let n = rows.count
            guard task > 0 else {
                buffer.baseAddress.map { $0.update(repeating: 1, count: n) }
                return
            }
            let encoding = encodings[task - 1], column = offsets[task - 1]
            let result: Filled
            switch encoding.type {
            case .numeric:
                result = Result { () throws(DataError) in
                    try fillNumeric(
                        encoding, table.numeric(encoding.column), rows: rows, table: table,
                        into: buffer, column: column)
                    return (nil, nil)
                }
            case .categorical:
                result = .success(
                    fillCategorical(
                        encoding, table.text(encoding.column), rows: rows,
                        into: buffer, column: column, writeDummies: !(dummiesAsCodes && keepsCodes(encoding)),
                        designColumn: designColumns[task - 1]))
            }
            slots[task - 1] = result
        }
    }

    /// Counts are small whole numbers: their term values (log1p is the costly part) come from a
    /// table filled by the same function, so results are bit-identical. Empty unless every whole
    /// number 0…1023 has a value.
    static func wholeNumberValues(_ encoding: FeatureEncoding) -> [Double] {
        guard encoding.type == .numeric, encoding.bins == nil else { return [] }
        let values = (0..<1024).compactMap { try? encoding.numericTermValue(Double($0)) }
        return values.count == 1024 ? values : []
    }

    /// - Parameter wholeNumbers: ``wholeNumberValues(_:)`` of `encoding`, when the caller keeps it.
    static func fillNumeric(
        _ encoding: FeatureEncoding, _ column: NumericColumn, rows: [Int], table: LeadTable,
        into buffer: UnsafeMutableBufferPointer<Double>, column index: Int, wholeNumbers: [Double]? = nil
    ) throws(DataError) {
        if encoding.bins != nil {
            try fillBins(encoding, column, rows: rows, table: table, into: buffer, column: index)
            return
        }
        let n = rows.count
        let base = index * n
        if encoding.terms.count > 1, let start = buffer.baseAddress {
            (start + base + n).update(repeating: 0, count: (encoding.terms.count - 1) * n)
        }
        let missingValue: Double
        do {
            missingValue = try encoding.numericTermValue(0)
        } catch {
            throw .cell(file: table.file, line: table.lineOfRow[rows.first ?? 0], error: error)
        }
        let wholeNumbers = wholeNumbers ?? wholeNumberValues(encoding)
        let tableSize = Double(wholeNumbers.count)
        // The usual cell, a small whole number, is looked up over raw buffers (the scorer's and
        // validation's hottest loop after the parse); any other cell goes to `other` below.
        var failure: DataError?
        wholeNumbers.withUnsafeBufferPointer { whole in
            column.values.withUnsafeBufferPointer { values in
                column.missing.withUnsafeBufferPointer { missing in
                    rows.withUnsafeBufferPointer { rows in
                        for i in 0..<rows.count {
                            let row = rows[i]
                            precondition(row >= 0 && row < values.count, "fillNumeric: row \(row) of \(values.count)")
                            let value = values[row]
                            if !missing[row], value >= 0, value < tableSize, value == value.rounded(.towardZero) {
                                buffer[base + i] = whole[Int(value)]  // total: 0 ≤ value < 1024, whole
                                continue
                            }
                            do throws(DataError) { try other(i, row) } catch {
                                failure = error
                                return
                            }
                        }
                    }
                }
            }
        }
        if let failure { throw failure }

        /// A missing cell, or a number outside the table: the encoding's rule, or its error.
        func other(_ i: Int, _ row: Int) throws(DataError) {
            if column.missing[row] {
                switch encoding.missing {
                case .error, .dropRow:
                    throw .cell(
                        file: table.file, line: table.lineOfRow[row],
                        error: .missingValue(column: encoding.column, rule: encoding.missing))
                case .zero:
                    buffer[base + i] = missingValue
                case .indicator:
                    buffer[base + i] = missingValue
                    buffer[base + n + i] = 1
                }
            } else {
                do {
                    buffer[base + i] = try encoding.numericTermValue(column.values[row])
                } catch {
                    throw .cell(file: table.file, line: table.lineOfRow[row], error: error)
                }
            }
        }
    }

    /// A binned feature's 0/1 bin columns (see ``FeatureEncoding/binnedValues(rawCell:)``).
    static func fillBins(
        _ encoding: FeatureEncoding, _ column: NumericColumn, rows: [Int], table: LeadTable,
        into buffer: UnsafeMutableBufferPointer<Double>, column index: Int
    ) throws(DataError) {
        let n = rows.count
        let terms = encoding.binLevels.count
        if let start = buffer.baseAddress { (start + index * n).update(repeating: 0, count: terms * n) }
        let zeroTerm = encoding.binTerm(of: 0)
        for (i, row) in rows.enumerated() {
            let term: Int?
            if column.missing[row] {
                switch encoding.missing {
                case .error, .dropRow:
                    throw .cell(
                        file: table.file, line: table.lineOfRow[row],
                        error: .missingValue(column: encoding.column, rule: encoding.missing))
                case .indicator:
                    term = terms - 1
                case .zero:
                    term = zeroTerm
                }
            } else {
                do {
                    term = encoding.binTerm(of: try encoding.numericTermValue(column.values[row]))
                } catch {
                    throw .cell(file: table.file, line: table.lineOfRow[row], error: error)
                }
            }
            if let term { buffer[(index + term) * n + i] = 1 }
        }
    }

    static func fillCategorical(
        _ encoding: FeatureEncoding, _ column: TextColumn, rows: [Int],
        into buffer: UnsafeMutableBufferPointer<Double>, column index: Int, writeDummies: Bool = true,
        designColumn: Int? = nil
    )
        -> (unseen: UnseenLevels?, oneHot: OneHotFeature?)
    {
        let n = rows.count
        let dummies = encoding.dummyLevels
        let coded = keepsCodes(encoding)
        precondition(coded || writeDummies, "fillCategorical: a feature without codes must write its dummies")
        var levels = [UInt16](repeating: 0, count: coded ? n : 0)
        // One lookup per distinct cell text: the dummy column (-1 for the baseline).
        var target = [Int](repeating: -1, count: column.levels.count)
        var isUnseen = [Bool](repeating: false, count: column.levels.count)
        var unseenName = [String](repeating: "", count: column.levels.count)
        for (code, raw) in column.levels.enumerated() {
            let (level, unseen) = encoding.modelLevel(forCell: raw)
            target[code] = dummies.firstIndex(of: level) ?? -1
            isUnseen[code] = unseen
            if unseen { unseenName[code] = encoding.recodedCell(raw) }
        }
        var counts: [String: Int] = [:]
        if writeDummies, let start = buffer.baseAddress { (start + index * n).update(repeating: 0, count: dummies.count * n) }
        levels.withUnsafeMutableBufferPointer { levels in
            for (i, row) in rows.enumerated() {
                let code = Int(column.codes[row])
                let dummy = target[code]
                if dummy >= 0 {
                    if writeDummies { buffer[(index + dummy) * n + i] = 1 }
                    if coded { levels[i] = UInt16(dummy + 1) }
                }
                if isUnseen[code] { counts[unseenName[code], default: 0] += 1 }
            }
        }
        let first = designColumn ?? index  // the dummies' first design column (`index` is in `buffer`)
        let feature = coded ? OneHotFeature(columns: Array(first..<(first + dummies.count)), levels: levels) : nil
        guard !counts.isEmpty else { return (nil, feature) }
        let mappedTo = encoding.levels.contains(otherLevel) ? otherLevel : (encoding.baseline ?? "the baseline")
        return (UnseenLevels(column: encoding.column, counts: counts, mappedTo: mappedTo), feature)
    }
}
