import BatonSupport

/// The whole table's numeric, missing, code and line columns, slot-major (`numbers[slot * rows
/// + row]`), allocated once when every chunk's rows are known: chunks parse into their rows of
/// it (``ChunkColumns/init(numericCount:textCount:rawCount:boundsCount:table:offset:rows:)``)
/// and the table's columns are views of it.
final class TableStorage: @unchecked Sendable {
    let rows: Int
    let numericCount: Int
    let textCount: Int
    private let numberArena: ColumnArena
    private let missingArena: ColumnArena
    private let codeArena: ColumnArena
    private let lineArena: ColumnArena
    let numbers: UnsafeMutablePointer<Double>
    let missing: UnsafeMutablePointer<Bool>
    let codes: UnsafeMutablePointer<Int32>
    let lines: UnsafeMutablePointer<Int>

    /// Columns left unwritten in front of the numeric slots, in the same allocation (``NumberBlock``).
    let spareNumericColumns: Int

    init(rows: Int, numericCount: Int, textCount: Int, spareNumericColumns: Int = 0) {
        self.rows = rows
        self.numericCount = numericCount
        self.textCount = textCount
        self.spareNumericColumns = spareNumericColumns
        numberArena = ColumnArena(bytes: (spareNumericColumns + numericCount) * rows * MemoryLayout<Double>.stride)
        missingArena = ColumnArena(bytes: numericCount * rows * MemoryLayout<Bool>.stride)
        codeArena = ColumnArena(bytes: textCount * rows * MemoryLayout<Int32>.stride)
        lineArena = ColumnArena(bytes: rows * MemoryLayout<Int>.stride)
        numbers =
            numberArena.pointer.bindMemory(to: Double.self, capacity: max(1, (spareNumericColumns + numericCount) * rows))
            + spareNumericColumns * rows
        missing = missingArena.pointer.bindMemory(to: Bool.self, capacity: max(1, numericCount * rows))
        codes = codeArena.pointer.bindMemory(to: Int32.self, capacity: max(1, textCount * rows))
        lines = lineArena.pointer.bindMemory(to: Int.self, capacity: max(1, rows))
    }

    /// Numeric slot `slot`'s values, once every row is written.
    func numberColumn(_ slot: Int) -> ColumnStorage<Double> {
        ColumnStorage(arena: numberArena, base: numbers + slot * rows, count: rows)
    }

    /// The spare columns and the numeric slots as one block (nil without spare columns).
    func numberBlock(slotOfColumn: [String: Int]) -> NumberBlock? {
        guard spareNumericColumns > 0 else { return nil }
        return NumberBlock(
            arena: numberArena, base: numbers - spareNumericColumns * rows, rows: rows,
            columns: spareNumericColumns + numericCount, spare: spareNumericColumns,
            columnOfName: slotOfColumn.mapValues { spareNumericColumns + $0 })
    }

    func missingColumn(_ slot: Int) -> ColumnStorage<Bool> {
        ColumnStorage(arena: missingArena, base: missing + slot * rows, count: rows)
    }

    func codeColumn(_ slot: Int) -> ColumnStorage<Int32> {
        ColumnStorage(arena: codeArena, base: codes + slot * rows, count: rows)
    }

    func lineColumn() -> ColumnStorage<Int> {
        ColumnStorage(arena: lineArena, base: lines, count: rows)
    }
}

/// A table's numeric columns as one column-major block of `columns` × `rows` doubles, with
/// `spare` columns in front that the reader left unwritten
/// (``LeadTableReader/read(url:columns:delimiter:spareNumericColumns:)``): a caller that turns
/// the numbers into a design matrix writes its intercept there and each term over the column
/// it comes from, so the design needs no memory of its own.
///
/// Writing through ``base`` changes the table's numeric columns (they are views of this
/// block): only a caller that no longer reads them may do it.
package struct NumberBlock: @unchecked Sendable {
    package let arena: ColumnArena
    package let base: UnsafeMutablePointer<Double>
    package let rows: Int
    package let columns: Int
    package let spare: Int
    /// The block column holding each numeric column's values.
    package let columnOfName: [String: Int]

    /// Columns `0..<count` of the block as one storage (column-major, `count` × ``rows``).
    package func leadingColumns(_ count: Int) -> ColumnStorage<Double> {
        precondition(count >= 0 && count <= columns, "NumberBlock: \(count) of \(columns) columns")
        return ColumnStorage(arena: arena, base: base, count: count * rows)
    }
}
