import BatonSupport
import Foundation

/// The typed cells of one byte range of the file: numbers, missing flags and level codes in
/// slot-major blocks of raw memory (no per-cell array or class bookkeeping in the row loop),
/// raw text as Strings. Owned by one parsing thread; call ``deallocate()`` when merged.
struct ChunkColumns {
    let numericCount: Int
    let textCount: Int
    private(set) var capacity: Int
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
        numbers = HugePages.allocate(capacity: max(1, numericCount * self.capacity))
        missing = HugePages.allocate(capacity: max(1, numericCount * self.capacity))
        codes = HugePages.allocate(capacity: max(1, textCount * self.capacity))
        lines = HugePages.allocate(capacity: self.capacity)
        interners = (0..<textCount).map { _ in LevelInterner() }
        raw = (0..<rawCount).map { _ in
            var column: [String] = []
            column.reserveCapacity(capacity)
            return column
        }
        least = Array(repeating: nil, count: boundsCount)
        greatest = Array(repeating: nil, count: boundsCount)
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

    /// Doubles the row capacity, keeping the rows so far.
    mutating func grow() {
        let newCapacity = capacity * 2
        numbers = Self.regrow(numbers, slots: numericCount, rows: rows, from: capacity, to: newCapacity)
        missing = Self.regrow(missing, slots: numericCount, rows: rows, from: capacity, to: newCapacity)
        codes = Self.regrow(codes, slots: textCount, rows: rows, from: capacity, to: newCapacity)
        lines = Self.regrow(lines, slots: 1, rows: rows, from: capacity, to: newCapacity)
        capacity = newCapacity
    }

    private static func regrow<T>(_ old: UnsafeMutablePointer<T>, slots: Int, rows: Int, from: Int, to: Int) -> UnsafeMutablePointer<T> {
        let new = HugePages.allocate(T.self, capacity: max(1, slots * to))
        for slot in 0..<slots { (new + slot * to).moveInitialize(from: old + slot * from, count: rows) }
        old.deallocate()
        return new
    }

    @inline(__always) func numberColumn(_ slot: Int) -> UnsafeMutablePointer<Double> { numbers + slot * capacity }
    @inline(__always) func missingColumn(_ slot: Int) -> UnsafeMutablePointer<Bool> { missing + slot * capacity }
    @inline(__always) func codeColumn(_ slot: Int) -> UnsafeMutablePointer<Int32> { codes + slot * capacity }

    func deallocate() {
        numbers.deallocate()
        missing.deallocate()
        codes.deallocate()
        lines.deallocate()
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
