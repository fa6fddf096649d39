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

    init(rows: Int, numericCount: Int, textCount: Int) {
        self.rows = rows
        self.numericCount = numericCount
        self.textCount = textCount
        numberArena = ColumnArena(bytes: numericCount * rows * MemoryLayout<Double>.stride)
        missingArena = ColumnArena(bytes: numericCount * rows * MemoryLayout<Bool>.stride)
        codeArena = ColumnArena(bytes: textCount * rows * MemoryLayout<Int32>.stride)
        lineArena = ColumnArena(bytes: rows * MemoryLayout<Int>.stride)
        numbers = numberArena.pointer.bindMemory(to: Double.self, capacity: max(1, numericCount * rows))
        missing = missingArena.pointer.bindMemory(to: Bool.self, capacity: max(1, numericCount * rows))
        codes = codeArena.pointer.bindMemory(to: Int32.self, capacity: max(1, textCount * rows))
        lines = lineArena.pointer.bindMemory(to: Int.self, capacity: max(1, rows))
    }

    /// Numeric slot `slot`'s values, once every row is written.
    func numberColumn(_ slot: Int) -> ColumnStorage<Double> {
        ColumnStorage(arena: numberArena, base: numbers + slot * rows, count: rows)
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
