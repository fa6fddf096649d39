import BatonSupport
import Dispatch

/// A design matrix whose one-hot columns are held as level codes: the other columns are
/// stored densely (column-major), and each categorical feature keeps one small code per row
/// (``OneHotFeature``) instead of one 0/1 column per level.
///
/// For 1e6 leads × 60 terms of which 44 are dummies, that is ~150 MB instead of the 480 MB of
/// ``DesignMatrix``: memory the Newton passes never read (they take the dummies as codes), and
/// that a fresh process pays to map page by page. Its values are exactly those of
/// ``materialized()``, the plain matrix, which consumers that read every column still get.
package struct CodedDesign: Sendable {
    /// Number of rows (leads), n.
    package let rows: Int
    /// Number of design columns (terms), p, dummies included.
    package let columns: Int
    /// Term names, one per design column.
    package var names: [String]
    /// The intercept column, if there is one (never a dummy).
    package var interceptColumn: Int?
    /// The design columns outside every one-hot feature, ascending.
    package let denseColumns: [Int]
    /// Their values, column-major: value `k * rows + i` is row i of design column
    /// `denseColumns[k]` (read them with ``withDenseValues(_:)``).
    private let dense: DenseValues
    /// The categorical features' dummy columns and each row's level.
    package let oneHot: [OneHotFeature]
    /// Per design column: its position in ``denseColumns``, or −1 for a dummy.
    private let densePosition: [Int]

    /// - Precondition: `dense.count == rows * (columns − dummy columns)`, `names.count == columns`,
    ///   every one-hot column is in range and in one feature only, and each feature has one
    ///   level per row, at most its column count.
    package init(
        rows: Int, columns: Int, names: [String], interceptColumn: Int?, dense: [Double], oneHot: [OneHotFeature]
    ) {
        self.init(rows: rows, columns: columns, names: names, interceptColumn: interceptColumn, values: .array(dense), oneHot: oneHot)
    }

    /// The same design with its dense values in memory filled in place by their producer (the
    /// CSV reader's numeric columns, transformed where they lie), so that they are never copied
    /// into an array of their own. The same preconditions on `dense.count`.
    package init(
        rows: Int, columns: Int, names: [String], interceptColumn: Int?, dense: ColumnStorage<Double>, oneHot: [OneHotFeature]
    ) {
        self.init(rows: rows, columns: columns, names: names, interceptColumn: interceptColumn, values: .column(dense), oneHot: oneHot)
    }

    private init(rows: Int, columns: Int, names: [String], interceptColumn: Int?, values dense: DenseValues, oneHot: [OneHotFeature]) {
        precondition(names.count == columns, "CodedDesign: \(names.count) names for \(columns) columns")
        var position = [Int](repeating: 0, count: columns)
        for feature in oneHot {
            precondition(feature.levels.count == rows, "CodedDesign: \(feature.levels.count) levels for \(rows) rows")
            for column in feature.columns {
                precondition(column >= 0 && column < columns && position[column] == 0, "CodedDesign: dummy column \(column) out of range or repeated")
                position[column] = -1
            }
            precondition(feature.levels.allSatisfy { Int($0) <= feature.columns.count }, "CodedDesign: a level beyond its feature's columns")
        }
        var denseColumns: [Int] = []
        for column in 0..<columns where position[column] == 0 {
            position[column] = denseColumns.count
            denseColumns.append(column)
        }
        let count = dense.withBuffer { $0.count }
        precondition(count == rows * denseColumns.count, "CodedDesign: \(count) dense values for \(rows)×\(denseColumns.count)")
        precondition(interceptColumn.map { position[$0] >= 0 } ?? true, "CodedDesign: the intercept is a dummy column")
        self.rows = rows
        self.columns = columns
        self.names = names
        self.interceptColumn = interceptColumn
        self.denseColumns = denseColumns
        self.dense = dense
        self.oneHot = oneHot
        densePosition = position
    }

    /// A plain matrix held as it is: every column dense, no codes.
    package init(_ matrix: DesignMatrix) {
        self.init(
            rows: matrix.rows, columns: matrix.columns, names: matrix.names, interceptColumn: matrix.interceptColumn,
            dense: matrix.values, oneHot: [])
    }

    /// The position of design column `column` in ``dense``, or nil for a dummy.
    package func densePosition(of column: Int) -> Int? {
        densePosition[column] >= 0 ? densePosition[column] : nil
    }

    /// Calls `body` with the dense values, column-major (`k * rows + i` is row i of design
    /// column `denseColumns[k]`), valid only during the call.
    package func withDenseValues<R, E: Error>(_ body: (UnsafeBufferPointer<Double>) throws(E) -> R) throws(E) -> R {
        try dense.withBuffer(body)
    }

    /// Where the dense values live: an array, or memory their producer filled in place.
    private enum DenseValues: Sendable {
        case array([Double])
        case column(ColumnStorage<Double>)

        func withBuffer<R, E: Error>(_ body: (UnsafeBufferPointer<Double>) throws(E) -> R) throws(E) -> R {
            // The storages' accessors rethrow untyped errors: the typed one travels in a Result.
            let typed = { (buffer: UnsafeBufferPointer<Double>) -> Result<R, E> in
                do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
            }
            switch self {
            case let .array(values): return try values.withUnsafeBufferPointer(typed).get()
            case let .column(values): return try values.withUnsafeBufferPointer(typed).get()
            }
        }
    }

    /// The plain column-major matrix with the same values (without a copy when every column
    /// is dense, as for ``init(_:)``).
    package func materialized() -> DesignMatrix { materialized(everyRow: 1) }

    /// Rows 0, `stride`, 2·`stride`, … of the plain matrix (a Newton start's subsample,
    /// ``SubsampleStart``); stride 1 is ``materialized()``.
    package func materialized(everyRow stride: Int) -> DesignMatrix {
        precondition(stride >= 1, "materialized: stride \(stride) < 1")
        if stride == 1, oneHot.isEmpty, case let .array(values) = dense {
            return DesignMatrix(rows: rows, columns: columns, values: values, names: names, interceptColumn: interceptColumn)
        }
        let n = rows
        let m = (n + stride - 1) / stride
        let values = [Double](unsafeUninitializedCapacity: m * columns) { buffer, initialized in
            HugePages.advise(buffer)
            guard let out = buffer.baseAddress else { return }
            dense.withBuffer { dense in
                for (k, column) in denseColumns.enumerated() {
                    let source = dense.baseAddress! + k * n
                    if stride == 1 {
                        (out + column * m).initialize(from: source, count: m)
                    } else {
                        for r in 0..<m { (out + column * m + r).initialize(to: source[r * stride]) }
                    }
                }
            }
            for feature in oneHot {
                for column in feature.columns { (out + column * m).initialize(repeating: 0, count: m) }
                for r in 0..<m {
                    let level = feature.levels[r * stride]
                    if level > 0 { out[feature.columns[Int(level) - 1] * m + r] = 1 }  // total: a UInt16 level code
                }
            }
            initialized = m * columns
        }
        return DesignMatrix(rows: m, columns: columns, values: values, names: names, interceptColumn: interceptColumn)
    }

    /// One design column's values, whole (a dummy column is spelled out as 0/1).
    package func withColumn<R>(_ column: Int, _ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        if let k = densePosition(of: column) {
            return try dense.withBuffer { try body(UnsafeBufferPointer(rebasing: $0[(k * rows)..<((k + 1) * rows)])) }
        }
        var values = [Double](repeating: 0, count: rows)
        for feature in oneHot {
            guard let index = feature.columns.firstIndex(of: column) else { continue }
            for (i, level) in feature.levels.enumerated() where Int(level) == index + 1 { values[i] = 1 }
        }
        return try values.withUnsafeBufferPointer(body)
    }

    /// η = Xβ, each row's terms added in column order and columns with βⱼ = 0 skipped, as
    /// ``LogisticFit/linearPredictor(_:)`` adds them on ``materialized()``: a dummy's 0 adds
    /// nothing and its 1 adds βⱼ, so η is the same number. Rows are split over the cores.
    package func linearPredictor(_ beta: [Double]) -> [Double] {
        precondition(beta.count == columns, "linearPredictor: \(columns) columns for \(beta.count) coefficients")
        // Column order as segments: a dense column, or a one-hot feature (its columns are
        // consecutive: at most one of them is 1 per row, so the feature adds one table entry).
        enum Segment {
            case dense(position: Int, beta: Double)
            case oneHot(feature: Int, table: [Double])
        }
        var segments: [Segment] = []
        var column = 0
        while column < columns {
            if let k = densePosition(of: column) {
                if beta[column] != 0 { segments.append(.dense(position: k, beta: beta[column])) }
                column += 1
                continue
            }
            guard let f = oneHot.firstIndex(where: { $0.columns.contains(column) }) else { preconditionFailure("unreachable") }
            let feature = oneHot[f]
            let sorted = feature.columns.sorted()
            if sorted == Array(sorted[0]..<(sorted[0] + sorted.count)), sorted[0] == column {
                segments.append(.oneHot(feature: f, table: [0] + feature.columns.map { beta[$0] }))
                column += sorted.count
            } else {
                // Dummies interleaved with other columns: one segment per dummy column.
                let index = feature.columns.firstIndex(of: column)!
                var table = [Double](repeating: 0, count: feature.columns.count + 1)
                table[index + 1] = beta[column]
                if beta[column] != 0 { segments.append(.oneHot(feature: f, table: table)) }
                column += 1
            }
        }
        let order = segments
        let n = rows
        let workers = max(1, min(onlineProcessorCount(), n / 65_536))
        return [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
            let eta = SendablePointer(buffer.baseAddress)
            dense.withBuffer { dense in
                let values = SendablePointer(UnsafeMutablePointer(mutating: dense.baseAddress))
                let run = { @Sendable (worker: Int) in
                    guard let eta = eta.pointer else { return }
                    let lo = n * worker / workers, hi = n * (worker + 1) / workers
                    (eta + lo).initialize(repeating: 0, count: hi - lo)
                    for segment in order {
                        switch segment {
                        case let .dense(position, b):
                            guard let source = values.pointer.map({ $0 + position * n }) else { continue }
                            for i in lo..<hi { eta[i] += b * source[i] }
                        case let .oneHot(f, table):
                            oneHot[f].levels.withUnsafeBufferPointer { levels in
                                table.withUnsafeBufferPointer { table in
                                    for i in lo..<hi where levels[i] != 0 { eta[i] += table[Int(levels[i])] }
                                }
                            }
                        }
                    }
                }
                if workers == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: run) }
            }
            initialized = n
        }
    }
}

/// A raw pointer handed to the workers of one call, which write disjoint ranges through it.
private struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>?
    init(_ pointer: UnsafeMutablePointer<Double>?) { self.pointer = pointer }
}
