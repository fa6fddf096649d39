import BatonSupport
import Foundation

/// The typed cells of one byte range of the file: numbers, missing flags and level codes in
/// slot-major blocks of raw memory (no per-cell array or class bookkeeping in the row loop),
/// raw text as Strings. Owned by one parsing thread; call ``deallocate()`` when merged.
///
/// The blocks are either the chunk's own (``ownsStorage``) or its rows of the whole table's
/// columns (``TableStorage``), when the reader counted every chunk's rows beforehand: the
/// merge then moves nothing. A chunk that meets more rows than counted moves to storage of its
/// own (``grow()``), and the merge copies it as it copies any owned chunk.
struct ChunkColumns {
    let numericCount: Int
    let textCount: Int
    private(set) var capacity: Int
    /// Elements between one slot's column and the next: ``capacity`` for owned storage, the
    /// table's row count for a chunk parsed in place.
    private(set) var stride: Int
    private(set) var ownsStorage = true
    var rows = 0
    /// The parser's line after the last row (and any blank lines after it), chunk-relative.
    var endLine = 1
    /// `numbers[slot * capacity + row]`.
    private(set) var numbers: UnsafeMutablePointer<Double>
    private(set) var missing: UnsafeMutablePointer<Bool>
    private(set) var codes: UnsafeMutablePointer<Int32>
    /// Physical line of each row, relative to the chunk's first line until the merge shifts it.
    private(set) var lines: UnsafeMutablePointer<Int>
    var interners: [LevelInterner]
    var raw: [[String]]
    /// Per bounds slot: the least and greatest non-empty cell so far, nil before the first. They
    /// point into the parsed bytes (alive until the merge), or into ``ownedCells`` for cells
    /// that had to be unescaped.
    var least: [ByteSpan?]
    var greatest: [ByteSpan?]
    /// Copies of unescaped cells that are or were bounds, freed by ``deallocate()``.
    private var ownedCells: [UnsafeMutableBufferPointer<UInt8>] = []

    init(numericCount: Int, textCount: Int, rawCount: Int, boundsCount: Int = 0, capacity: Int) {
        self.numericCount = numericCount
        self.textCount = textCount
        self.capacity = max(16, capacity)
        stride = self.capacity
        numbers = HugePages.allocate(capacity: max(1, numericCount * self.capacity))
        missing = HugePages.allocate(capacity: max(1, numericCount * self.capacity))
        codes = HugePages.allocate(capacity: max(1, textCount * self.capacity))
        lines = HugePages.allocate(capacity: self.capacity)
        (interners, raw, least, greatest) = Self.perColumnState(textCount: textCount, rawCount: rawCount, boundsCount: boundsCount, rows: capacity)
    }

    /// Empty interners, raw columns (reserved for `rows`) and bounds, as a new chunk starts.
    private static func perColumnState(
        textCount: Int, rawCount: Int, boundsCount: Int, rows: Int
    ) -> ([LevelInterner], [[String]], [ByteSpan?], [ByteSpan?]) {
        let raw = (0..<rawCount).map { _ in
            var column: [String] = []
            column.reserveCapacity(rows)
            return column
        }
        return (
            (0..<textCount).map { _ in LevelInterner() }, raw, Array(repeating: nil, count: boundsCount), Array(repeating: nil, count: boundsCount)
        )
    }

    /// A chunk whose `rows` rows are written in place at row `offset` of `table`'s columns.
    init(numericCount: Int, textCount: Int, rawCount: Int, boundsCount: Int = 0, table: TableStorage, offset: Int, rows: Int) {
        precondition(
            numericCount == table.numericCount && textCount == table.textCount && offset + rows <= table.rows, "ChunkColumns: rows outside the table")
        self.numericCount = numericCount
        self.textCount = textCount
        capacity = rows
        stride = table.rows
        ownsStorage = false
        numbers = table.numbers + offset
        missing = table.missing + offset
        codes = table.codes + offset
        lines = table.lines + offset
        (interners, raw, least, greatest) = Self.perColumnState(textCount: textCount, rawCount: rawCount, boundsCount: boundsCount, rows: rows)
    }

    /// Widens bounds slot `slot` by one cell (empty cells are ignored). A `stable` cell stays
    /// at its address until the merge; any other is copied when it becomes a bound.
    @inline(__always)
    mutating func offerBounds(_ slot: Int, _ pointer: UnsafePointer<UInt8>, _ count: Int, stable: Bool) {
        guard count > 0 else { return }
        let cell = ByteSpan(pointer: pointer, count: count)
        guard let low = least[slot], let high = greatest[slot] else {
            let kept = stable ? cell : own(cell)
            least[slot] = kept
            greatest[slot] = kept
            return
        }
        // least ≤ greatest, so a new greatest cannot also be a new least (one compare per row
        // on a file sorted by this column).
        if ByteSpan.compare(cell, high) > 0 {
            greatest[slot] = stable ? cell : own(cell)
        } else if ByteSpan.compare(cell, low) < 0 {
            least[slot] = stable ? cell : own(cell)
        }
    }

    private mutating func own(_ cell: ByteSpan) -> ByteSpan {
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: cell.count)
        _ = copy.initialize(from: UnsafeBufferPointer(start: cell.pointer, count: cell.count))
        ownedCells.append(copy)
        return ByteSpan(pointer: UnsafePointer(copy.baseAddress ?? UnsafeMutablePointer(mutating: cell.pointer)), count: cell.count)
    }

    /// Doubles the row capacity, keeping the rows so far (in storage of its own from then on).
    mutating func grow() {
        let newCapacity = max(16, capacity * 2)
        let owned = ownsStorage
        numbers = Self.regrow(numbers, slots: numericCount, rows: rows, stride: stride, to: newCapacity, owned: owned)
        missing = Self.regrow(missing, slots: numericCount, rows: rows, stride: stride, to: newCapacity, owned: owned)
        codes = Self.regrow(codes, slots: textCount, rows: rows, stride: stride, to: newCapacity, owned: owned)
        lines = Self.regrow(lines, slots: 1, rows: rows, stride: stride, to: newCapacity, owned: owned)
        capacity = newCapacity
        stride = newCapacity
        ownsStorage = true
    }

    private static func regrow<T>(
        _ old: UnsafeMutablePointer<T>, slots: Int, rows: Int, stride: Int, to: Int, owned: Bool
    ) -> UnsafeMutablePointer<T> {
        let new = HugePages.allocate(T.self, capacity: max(1, slots * to))
        for slot in 0..<slots { (new + slot * to).moveInitialize(from: old + slot * stride, count: rows) }
        if owned { old.deallocate() }
        return new
    }

    @inline(__always) func numberColumn(_ slot: Int) -> UnsafeMutablePointer<Double> { numbers + slot * stride }
    @inline(__always) func missingColumn(_ slot: Int) -> UnsafeMutablePointer<Bool> { missing + slot * stride }
    @inline(__always) func codeColumn(_ slot: Int) -> UnsafeMutablePointer<Int32> { codes + slot * stride }

    /// Whether the rows sit at row `offset` of `table`'s columns (nothing to move there).
    func isInPlace(in table: TableStorage?, at offset: Int) -> Bool {
        guard !ownsStorage, let table else { return false }
        return lines == table.lines + offset && stride == table.rows
    }

    /// Frees the chunk's own storage (none for a chunk parsed in place) and copied cells.
    func deallocate() {
        if ownsStorage {
            numbers.deallocate()
            missing.deallocate()
            codes.deallocate()
            lines.deallocate()
        }
        for cell in ownedCells { cell.deallocate() }
    }
}

/// Bytes of one cell, borrowed from storage that outlives the span.
struct ByteSpan {
    var pointer: UnsafePointer<UInt8>
    var count: Int

    var text: String { String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self) }

    /// Byte-wise comparison, shorter first on a common prefix: < 0, 0 or > 0. Eight bytes a
    /// step as big-endian words (timestamps share long prefixes).
    @inline(__always)
    static func compare(_ a: ByteSpan, _ b: ByteSpan) -> Int {
        let common = min(a.count, b.count)
        var k = 0
        while k &+ 8 <= common {
            let x = UInt64(bigEndian: UnsafeRawPointer(a.pointer + k).loadUnaligned(as: UInt64.self))
            let y = UInt64(bigEndian: UnsafeRawPointer(b.pointer + k).loadUnaligned(as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            k &+= 8
        }
        while k < common {
            let x = a.pointer[k]
            let y = b.pointer[k]
            if x != y { return x < y ? -1 : 1 }
            k &+= 1
        }
        return a.count - b.count
    }
}
