import Foundation
import LabNumerics
import LeadCSV
import ScoringModelFormat

/// The design of a training CSV lent block by block to a streaming fit: each call of
/// ``forEachBlock(_:)`` re-reads the file in blocks of ``blockRows`` rows, applies the spec's
/// `drop_row` rules, and encodes the kept rows with fixed, already learned encodings into one
/// design buffer reused from block to block, so memory stays bounded by the block size.
///
/// Row i of the lent blocks (counted across blocks) is kept row i of the in-memory
/// ``TrainingData`` for the same file and encodings, with the same values.
package struct CSVDesignSource: DesignBlockSource {
    package typealias Failure = DataError
    package let csv: URL
    package let spec: ScoringSpec
    package let encodings: [FeatureEncoding]
    package let blockRows: Int
    package let names: [String]
    package var interceptColumn: Int? { 0 }
    /// Blocks lent by the last pass.
    package private(set) var blocksLastPass = 0
    private let buffer: DesignBuffer

    /// - Precondition: `blockRows ≥ 1`; `encodings` learned for `spec`'s features.
    package init(csv: URL, spec: ScoringSpec, encodings: [FeatureEncoding], blockRows: Int) {
        precondition(blockRows >= 1, "CSVDesignSource: blockRows must be at least 1")
        self.csv = csv
        self.spec = spec
        self.encodings = encodings
        self.blockRows = blockRows
        names = FeatureEncoding.terms(of: encodings).map(\.name)
        buffer = DesignBuffer(capacity: blockRows * names.count)
    }

    /// The columns a pass needs: the features, the outcome and the weight.
    var columnRequests: [ColumnRequest] {
        var requests: [ColumnRequest] = encodings.map { $0.type == .numeric ? .numeric($0.column) : .text($0.column) }
        requests.append(.text(spec.outcome.column))
        if let weight = spec.weight { requests.append(.numeric(weight)) }
        return requests
    }

    package mutating func forEachBlock(_ body: (DesignBlockView) -> Void) throws(DataError) {
        let reader: LeadTableBlockReader
        do {
            reader = try LeadTableBlockReader(url: csv, columns: columnRequests, blockRows: blockRows)
        } catch {
            throw .table(error)
        }
        blocksLastPass = 0
        while true {
            let next: LeadTable?
            do { next = try reader.next() } catch { throw .table(error) }
            guard let table = next else { break }
            let rows = RowFilter(features: spec.features, table: table).keptRows
            guard !rows.isEmpty else { continue }
            let outcomes = try outcomeVector(table: table, outcome: spec.outcome, rows: rows)
            let weights = try weightVector(table: table, column: spec.weight, rows: rows)
            let m = rows.count
            let design = UnsafeMutableBufferPointer(start: buffer.values, count: m * names.count)
            design.update(repeating: 0)
            for i in 0..<m { design[i] = 1 }
            var offset = 1
            for encoding in encodings {
                switch encoding.type {
                case .numeric:
                    try DesignMatrixBuilder.fillNumeric(
                        encoding, table.numeric(encoding.column), rows: rows, table: table,
                        into: design, column: offset)
                case .categorical:
                    _ = DesignMatrixBuilder.fillCategorical(
                        encoding, table.text(encoding.column), rows: rows,
                        into: design, column: offset)
                }
                offset += encoding.terms.count
            }
            blocksLastPass += 1
            outcomes.withUnsafeBufferPointer { y in
                guard let outcomeBase = y.baseAddress else { return }  // m ≥ 1, so never nil
                withOptionalBuffer(weights) { c in
                    body(DesignBlockView(rows: m, values: buffer.values, outcomes: outcomeBase, weights: c))
                }
            }
        }
    }
}

/// The block design buffer, allocated once per source.
private final class DesignBuffer: @unchecked Sendable {
    let values: UnsafeMutablePointer<Double>
    init(capacity: Int) { values = .allocate(capacity: max(1, capacity)) }
    deinit { values.deallocate() }
}

private func withOptionalBuffer<R>(_ array: [Double]?, _ body: (UnsafePointer<Double>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}
