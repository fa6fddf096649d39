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

    init(numericCount: Int, textCount: Int, rawCount: Int, capacity: Int) {
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
