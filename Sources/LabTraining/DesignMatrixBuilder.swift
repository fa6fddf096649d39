import LabNumerics
import LeadTable
import ScoringModelFormat

/// Unseen categorical levels met while applying a fitted encoding to new rows.
public struct UnseenLevels: Sendable, Equatable, CustomStringConvertible {
    public var column: String
    /// Unseen level (after recoding) → rows.
    public var counts: [String: Int]
    /// Where they went: `Other`, or the baseline when the model has no `Other`.
    public var mappedTo: String
    /// Rows with an unseen level.
    public var rows: Int { counts.values.reduce(0, +) }

    public var description: String {
        "\(rows) row\(rows == 1 ? "" : "s") of \"\(column)\" had levels the model never saw (\(counts.count) distinct) and were scored as \(mappedTo)"
    }
}

/// Fills a column-major design matrix from encodings and typed table columns: allocated
/// once, filled column by column, categorical columns through one lookup per distinct level.
public enum DesignMatrixBuilder {
    /// The design matrix of `rows` of `table` (in that order), plus unseen-level counts.
    ///
    /// Its columns are ``FeatureEncoding/terms(of:)``; row `i` equals the concatenation of
    /// `termValues(rawCell:)` of row `rows[i]`'s cells, with 1 for the intercept.
    /// - Precondition: every encoding's column was read (numeric as `.numeric`, categorical as `.text`).
    public static func build(encodings: [FeatureEncoding], table: LeadTable, rows: [Int]) throws(DataError) -> (matrix: DesignMatrix, unseen: [UnseenLevels]) {
        let terms = FeatureEncoding.terms(of: encodings)
        let n = rows.count
        var values = [Double](repeating: 0, count: n * terms.count)
        var unseen: [UnseenLevels] = []
        try values.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<Double>) throws(DataError) in
            for i in 0..<n { buffer[i] = 1 }
            var offset = 1
            for encoding in encodings {
                switch encoding.type {
                case .numeric:
                    try fillNumeric(encoding, table.numeric(encoding.column), rows: rows, table: table,
                                    into: buffer, column: offset)
                case .categorical:
                    if let report = fillCategorical(encoding, table.text(encoding.column), rows: rows,
                                                    into: buffer, column: offset) {
                        unseen.append(report)
                    }
                }
                offset += encoding.terms.count
            }
        }
        let matrix = DesignMatrix(rows: n, columns: terms.count, values: values, names: terms.map(\.name), interceptColumn: 0)
        return (matrix, unseen)
    }

    static func fillNumeric(_ encoding: FeatureEncoding, _ column: NumericColumn, rows: [Int], table: LeadTable,
                            into buffer: UnsafeMutableBufferPointer<Double>, column index: Int) throws(DataError) {
        let n = rows.count
        let base = index * n
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
                    throw .cell(file: table.file, line: table.lineOfRow[row],
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

    static func fillCategorical(_ encoding: FeatureEncoding, _ column: TextColumn, rows: [Int],
                                into buffer: UnsafeMutableBufferPointer<Double>, column index: Int) -> UnseenLevels? {
        let n = rows.count
        let dummies = encoding.dummyLevels
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
        for (i, row) in rows.enumerated() {
            let code = Int(column.codes[row])
            let dummy = target[code]
            if dummy >= 0 { buffer[(index + dummy) * n + i] = 1 }
            if isUnseen[code] { counts[unseenName[code], default: 0] += 1 }
        }
        guard !counts.isEmpty else { return nil }
        let mappedTo = encoding.levels.contains(otherLevel) ? otherLevel : (encoding.baseline ?? "the baseline")
        return UnseenLevels(column: encoding.column, counts: counts, mappedTo: mappedTo)
    }
}
