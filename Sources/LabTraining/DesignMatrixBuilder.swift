import BatonSupport
import Dispatch
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
        let n = rows.count
        var offsets: [Int] = []
        var offset = 1
        for encoding in encodings {
            offsets.append(offset)
            offset += encoding.terms.count
        }
        // Features fill disjoint columns, so they are filled on all cores; every cell is written
        // once (zeros included), with no zero-fill of the whole matrix beforehand. Results are
        // collected per feature and read in feature order: the error thrown is the one a
        // feature-by-feature fill would meet first.
        let job = FillJob(encodings: encodings, table: table, rows: rows, offsets: offsets)
        let values = [Double](unsafeUninitializedCapacity: n * terms.count) { buffer, initialized in
            HugePages.advise(buffer)
            job.buffer = buffer
            DispatchQueue.concurrentPerform(iterations: encodings.count + 1) { job.fill($0) }
            initialized = n * terms.count
        }
        var unseen: [UnseenLevels] = []
        var oneHot: [OneHotFeature] = []
        for result in job.results {
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
        let matrix = DesignMatrix(rows: n, columns: terms.count, values: values, names: terms.map(\.name), interceptColumn: 0)
        return (matrix, unseen, oneHot)
    }

    /// One task per feature (task 0: the intercept), each writing its own columns and its own result.
    private final class FillJob: @unchecked Sendable {
        let encodings: [FeatureEncoding]
        let table: LeadTable
        let rows: [Int]
        let offsets: [Int]
        var buffer = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
        typealias Filled = Result<(UnseenLevels?, OneHotFeature?), DataError>
        /// Per feature, written only by its task.
        let slots: UnsafeMutablePointer<Filled?>
        var results: [Filled?] { Array(UnsafeBufferPointer(start: slots, count: encodings.count)) }

        init(encodings: [FeatureEncoding], table: LeadTable, rows: [Int], offsets: [Int]) {
            self.encodings = encodings
            self.table = table
            self.rows = rows
            self.offsets = offsets
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
                        into: buffer, column: column))
            }
            slots[task - 1] = result
        }
    }

    static func fillNumeric(
        _ encoding: FeatureEncoding, _ column: NumericColumn, rows: [Int], table: LeadTable,
        into buffer: UnsafeMutableBufferPointer<Double>, column index: Int
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
        // Counts are small whole numbers: their term values (log1p is the costly part) come from
        // a table filled by the same function, so results are bit-identical.
        let wholeNumbers = (0..<1024).compactMap { try? encoding.numericTermValue(Double($0)) }
        let tableSize = wholeNumbers.count == 1024 ? wholeNumbers.count : 0  // every whole number 0…1023 has a value
        let values = column.values
        let missing = column.missing
        for (i, row) in rows.enumerated() {
            let value = values[row]
            if !missing[row], value >= 0, value < Double(tableSize), value == value.rounded(.towardZero) {
                buffer[base + i] = wholeNumbers[Int(value)]
                continue
            }
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
        into buffer: UnsafeMutableBufferPointer<Double>, column index: Int
    )
        -> (unseen: UnseenLevels?, oneHot: OneHotFeature?)
    {
        let n = rows.count
        let dummies = encoding.dummyLevels
        // Level codes fit in UInt16 for any realistic feature; beyond that the fit detects them.
        let coded = !dummies.isEmpty && dummies.count <= Int(UInt16.max)
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
        if let start = buffer.baseAddress { (start + index * n).update(repeating: 0, count: dummies.count * n) }
        levels.withUnsafeMutableBufferPointer { levels in
            for (i, row) in rows.enumerated() {
                let code = Int(column.codes[row])
                let dummy = target[code]
                if dummy >= 0 {
                    buffer[(index + dummy) * n + i] = 1
                    if coded { levels[i] = UInt16(dummy + 1) }
                }
                if isUnseen[code] { counts[unseenName[code], default: 0] += 1 }
            }
        }
        let feature = coded ? OneHotFeature(columns: Array(index..<(index + dummies.count)), levels: levels) : nil
        guard !counts.isEmpty else { return (nil, feature) }
        let mappedTo = encoding.levels.contains(otherLevel) ? otherLevel : (encoding.baseline ?? "the baseline")
        return (UnseenLevels(column: encoding.column, counts: counts, mappedTo: mappedTo), feature)
    }
}
