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
    /// Per bounds slot: the least and greatest non-empty cell so far (bytes), nil before the first.
    var least: [[UInt8]?]
    var greatest: [[UInt8]?]

    init(numericCount: Int, textCount: Int, rawCount: Int, boundsCount: Int = 0, capacity: Int) {
        self.numericCount = numericCount
        self.textCount = textCount
        self.capacity = max(16, capacity)
        numbers = .allocate(capacity: max(1, numericCount * self.capacity))
        missing = .allocate(capacity: max(1, numericCount * self.capacity))
        codes = .allocate(capacity: max(1, textCount * self.capacity))
        lines = .allocate(capacity: self.capacity)
        interners = (0..<textCount).map { _ in LevelInterner() }
        raw = (0..<rawCount).map { _ in
            var column: [String] = []
            column.reserveCapacity(capacity)
            return column
        }
        least = Array(repeating: nil, count: boundsCount)
        greatest = Array(repeating: nil, count: boundsCount)
    }

    /// Widens bounds slot `slot` by one cell (empty cells are ignored).
    @inline(__always)
    mutating func offerBounds(_ slot: Int, _ pointer: UnsafePointer<UInt8>, _ count: Int) {
        guard count > 0 else { return }
        let cell = UnsafeBufferPointer(start: pointer, count: count)
        // No binding of the stored arrays outlives the comparison, so the replacements below
        // write in place (ascending timestamps widen `greatest` on every row).
        if least[slot].map({ Self.compare(cell, $0) < 0 }) ?? true {
            if least[slot] == nil { least[slot] = Array(cell) } else { least[slot]?.replaceSubrange(0..., with: cell) }
        }
        if greatest[slot].map({ Self.compare(cell, $0) > 0 }) ?? true {
            if greatest[slot] == nil { greatest[slot] = Array(cell) } else { greatest[slot]?.replaceSubrange(0..., with: cell) }
        }
    }

    /// Byte-wise comparison, shorter first on a common prefix: < 0, 0 or > 0.
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Int {
        b.withUnsafeBufferPointer { b in
            let common = min(a.count, b.count)
            if common > 0, let pa = a.baseAddress, let pb = b.baseAddress {
                let order = memcmp(pa, pb, common)
                if order != 0 { return Int(order) }
            }
            return a.count - b.count
        }
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
        let new = UnsafeMutablePointer<T>.allocate(capacity: max(1, slots * to))
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
    }
}
