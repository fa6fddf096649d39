import BatonSupport
import Foundation
import ScoringModelFormat

/// Scores a whole table of leads column by column, with the same numbers as ``LeadScorer``.
///
/// Categorical columns arrive dictionary-encoded, so each distinct text is mapped to a model level
/// once (a per-code table of level, points, β and reason impact) and rows only index tables; numeric
/// columns are transformed once per cell. η is summed in the weight file's term order, so every
/// probability equals ``LeadScorer``'s (and the lab's) bit for bit, and the reasons are the same
/// reasons in the same order. Rows are scored in cache-sized blocks on all cores (see
/// `BatchKernel`). Decay does not apply: a table row carries its engagement counts as given.
public struct BatchScorer: Sendable {
    /// The single-lead scorer whose plan and reasons this reuses.
    public let scorer: LeadScorer

    public init(scorer: LeadScorer) { self.scorer = scorer }

    /// The columns a table must have (spec order): numeric features as ``BatchColumn/numeric(values:missing:)``,
    /// categorical ones as ``BatchColumn/text(codes:levels:)``.
    public var requiredColumns: [(name: String, numeric: Bool)] {
        scorer.plan.features.map { ($0.encoding.column, $0.encoding.type == .numeric) }
    }

    /// Scores `rowCount` rows.
    /// - Parameters:
    ///   - file: named in errors; `lineOfRow` gives the file line of each row (else row + 2 is assumed).
    /// - Throws: ``ScoringError/missingColumns(file:columns:)`` listing every absent column,
    ///   ``ScoringError/badCell(file:line:column:error:)`` for the first cell that cannot be encoded
    ///   (first feature in spec order, then first row).
    /// - Precondition: each column has `rowCount` entries and the kind ``requiredColumns`` states.
    public func score(
        columns: [String: BatchColumn], rowCount n: Int, file: String,
        lineOfRow: ColumnStorage<Int>? = nil
    ) throws(ScoringError) -> BatchScores {
        try score(columns: columns, rowCount: n, file: file, lineOfRow: lineOfRow, rowsPerTask: 32_768, blockRows: 256)
    }

    /// ``score(columns:rowCount:file:lineOfRow:)`` with the work split into tasks of `rowsPerTask`
    /// rows (run concurrently) and blocks of `blockRows` rows (tests use odd sizes to cross every boundary).
    func score(
        columns: [String: BatchColumn], rowCount n: Int, file: String, lineOfRow: ColumnStorage<Int>?,
        rowsPerTask: Int, blockRows: Int
    ) throws(ScoringError) -> BatchScores {
        let plan = scorer.plan
        let absent = plan.features.map(\.encoding.column).filter { columns[$0] == nil }
        guard absent.isEmpty else { throw .missingColumns(file: file, columns: absent) }
        func line(_ row: Int) -> Int { lineOfRow.map { $0[row] } ?? row + 2 }

        var kernelFeatures: [BatchKernel.Feature] = []
        var rawColumns = [ColumnStorage<Double>](repeating: [], count: plan.features.count)
        var missingColumns = [ColumnStorage<Bool>](repeating: [], count: plan.features.count)
        var levelOfCode = [[Int32]](repeating: [], count: plan.features.count)
        var codeColumns = [ColumnStorage<Int32>](repeating: [], count: plan.features.count)
        var unseenAsBaseline = [[String?]](repeating: [], count: plan.features.count)
        var unseen: [BatchScores.UnseenCount] = []

        for (f, feature) in plan.features.enumerated() {
            let encoding = feature.encoding
            guard let column = columns[encoding.column] else { continue }
            precondition(column.count == n, "column \(encoding.column) has \(column.count) rows, expected \(n)")
            var prepared = BatchKernel.Feature(isNumeric: encoding.type == .numeric, isEngagement: feature.isEngagement)
            switch (encoding.type, column) {
            case (.numeric, .numeric(let values, let missing)) where encoding.bins != nil:
                // Bins enter the kernel as level codes: each row's bin, with identity level tables.
                prepared.isNumeric = false
                var codes = [Int32](repeating: 0, count: n)
                for i in 0..<n {
                    guard let level = try? ScoringPlan.binLevel(encoding, value: missing[i] ? nil : values[i]) else {
                        try Self.throwFirstBadCell(plan: plan, columns: columns, rowCount: n, file: file, line: line)
                        preconditionFailure("binLevel rejected a cell that the first-bad-cell scan accepts")
                    }
                    codes[i] = Int32(level)  // total: a bin index below max_bins + 1
                }
                let levels = feature.levelNames.indices
                let binCodes = ColumnStorage(codes)
                prepared.codes = binCodes
                prepared.pointsOfCode = levels.map { feature.levelPoints[$0] }
                prepared.impactOfCode = levels.map { plan.levelImpact(feature: f, level: $0) }
                levelOfCode[f] = levels.map { Int32($0) }  // total: a bin index below max_bins + 1
                codeColumns[f] = binCodes
                rawColumns[f] = values
                missingColumns[f] = missing
            case (.numeric, .numeric(let values, let missing)):
                do { prepared.missingTerm = try encoding.numericTermValue(0) } catch {
                    throw .badCell(file: file, line: line(0), column: encoding.column, error: error)
                }
                prepared.values = values
                prepared.missing = missing
                prepared.transform = encoding.transform
                prepared.missingAllowed = encoding.missing == .zero || encoding.missing == .indicator
                // Counts are mostly small whole numbers: their term values come from a table filled
                // by the same function, so each cell equals `numericTermValue` bit for bit.
                prepared.wholeTerms = Self.wholeNumberTerms(encoding)
                prepared.valuePoints = feature.valuePoints
                prepared.indicatorPoints = feature.indicatorPoints
                rawColumns[f] = values
                missingColumns[f] = missing
            case (.categorical, .text(let codes, let levels)):
                var table = [Int32](repeating: 0, count: levels.count)
                var unseenName = [String?](repeating: nil, count: levels.count)
                for (code, raw) in levels.enumerated() {
                    let (level, wasUnseen) = encoding.modelLevel(forCell: raw)
                    table[code] = Int32(encoding.levels.firstIndex(of: level) ?? 0)
                    if wasUnseen { unseenName[code] = encoding.recodedCell(raw) }
                }
                prepared.codes = codes
                prepared.pointsOfCode = table.map { feature.levelPoints[Int($0)] }
                prepared.impactOfCode = table.map { plan.levelImpact(feature: f, level: Int($0)) }
                if unseenName.contains(where: { $0 != nil }) {
                    var rowsOfCode = [Int](repeating: 0, count: levels.count)
                    for code in codes { rowsOfCode[Int(code)] += 1 }
                    var counts: [String: Int] = [:]
                    for code in levels.indices where rowsOfCode[code] > 0 {
                        if let name = unseenName[code] { counts[name, default: 0] += rowsOfCode[code] }
                    }
                    if !counts.isEmpty {
                        let asBaseline = plan.scoresUnseenAsBaseline(feature: f)
                        let mappedTo = asBaseline ? (encoding.baseline ?? encoding.levels.first ?? "") : otherLevel
                        unseen.append(.init(column: encoding.column, counts: counts, scoredAs: mappedTo))
                        if asBaseline { unseenAsBaseline[f] = unseenName }
                    }
                }
                levelOfCode[f] = table
                codeColumns[f] = codes
            default:
                preconditionFailure("column \(encoding.column) must be \(encoding.type == .numeric ? ".numeric" : ".text")")
            }
            kernelFeatures.append(prepared)
        }

        let steps: [BatchKernel.Step] = plan.steps.map { step in
            switch step {
            case .value(let f): return .value(feature: f, beta: plan.features[f].valueBeta)
            case .indicator(let f): return .indicator(feature: f, beta: plan.features[f].indicatorBeta)
            case .levels(let f, let beta, _): return .levels(feature: f, betaOfCode: levelOfCode[f].map { beta[Int($0)] })
            }
        }

        // The output arrays are written in place by the tasks (no zero fill, no copy).
        var complete = true
        var doubles: [[Double]] = []
        let topFeature = [Int32](unsafeUninitializedCapacity: max(1, 3 * n)) { topFeature, initialized in
            guard let topBase = topFeature.baseAddress else { preconditionFailure("an array of capacity ≥ 1 has storage") }
            doubles = Self.uninitializedArrays(counts: [n, n, n, n, n, 3 * n][...]) { p in
                let kernel = BatchKernel(
                    features: kernelFeatures, steps: steps, intercept: plan.intercept, scale: plan.scale, rowCount: n,
                    rowsPerTask: rowsPerTask, blockRows: blockRows,
                    outputs: .init(
                        probability: p[0], logOdds: p[1], points: p[2], fit: p[3], engagement: p[4], topImpact: p[5],
                        topFeature: topBase))
                complete = kernel.run()
            }
            initialized = 3 * n
        }
        guard complete else {
            try Self.throwFirstBadCell(plan: plan, columns: columns, rowCount: n, file: file, line: line)
            preconditionFailure("the block kernel rejected a cell that numericTermValue accepts")
        }
        return BatchScores(
            rowCount: n, probability: doubles[0], logOdds: doubles[1], points: doubles[2], fitPoints: doubles[3],
            engagementPoints: doubles[4], unseenLevels: unseen, plan: plan, topFeature: topFeature, topImpact: doubles[5],
            rawValues: rawColumns, missing: missingColumns, levelOfCode: levelOfCode, codes: codeColumns,
            unseenAsBaseline: unseenAsBaseline)
    }

    /// Arrays of `counts[k]` doubles that `fill` writes through pointers before they are returned.
    private static func uninitializedArrays(
        counts: ArraySlice<Int>, pointers: [UnsafeMutablePointer<Double>] = [],
        fill: ([UnsafeMutablePointer<Double>]) -> Void
    ) -> [[Double]] {
        guard let count = counts.first else {
            fill(pointers)
            return []
        }
        var rest: [[Double]] = []
        let array = [Double](unsafeUninitializedCapacity: max(1, count)) { buffer, initialized in
            guard let base = buffer.baseAddress else { preconditionFailure("an array of capacity ≥ 1 has storage") }
            rest = uninitializedArrays(counts: counts.dropFirst(), pointers: pointers + [base], fill: fill)
            initialized = count
        }
        return [array] + rest
    }

    /// The error the row loop found, found again the plain way: first feature in spec order, then first row.
    private static func throwFirstBadCell(
        plan: ScoringPlan, columns: [String: BatchColumn], rowCount n: Int, file: String,
        line: (Int) -> Int
    ) throws(ScoringError) {
        for feature in plan.features where feature.encoding.type == .numeric {
            let encoding = feature.encoding
            guard case .numeric(let values, let missing)? = columns[encoding.column] else { continue }
            let missingAllowed = encoding.missing == .zero || encoding.missing == .indicator
            for i in 0..<n where encoding.bins != nil {
                do throws(CellEncodingError) { _ = try ScoringPlan.binLevel(encoding, value: missing[i] ? nil : values[i]) } catch {
                    throw .badCell(file: file, line: line(i), column: encoding.column, error: error)
                }
            }
            for i in 0..<n where encoding.bins == nil {
                if missing[i] {
                    guard missingAllowed else {
                        throw .badCell(
                            file: file, line: line(i), column: encoding.column,
                            error: .missingValue(column: encoding.column, rule: encoding.missing))
                    }
                } else {
                    do throws(CellEncodingError) { _ = try encoding.numericTermValue(values[i]) } catch {
                        throw .badCell(file: file, line: line(i), column: encoding.column, error: error)
                    }
                }
            }
        }
    }

    /// `numericTermValue(k)` for k = 0 ..< 1024 (empty if the transform rejects any of them).
    static func wholeNumberTerms(_ encoding: FeatureEncoding) -> [Double] {
        var table: [Double] = []
        table.reserveCapacity(1024)
        for k in 0..<1024 {
            guard let value = try? encoding.numericTermValue(Double(k)) else { return [] }
            table.append(value)
        }
        return table
    }
}
