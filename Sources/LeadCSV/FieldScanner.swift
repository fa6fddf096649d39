/// Finds the end of unquoted fields eight bytes at a time (SWAR): one 64-bit load gives a
/// mask of the delimiter, LF and CR bytes in it, and the next field end is the lowest set bit
/// at or after the field start. A row of short fields costs a few loads instead of a compare
/// loop per byte. Quoted fields are not its business: the caller scans them byte by byte and
/// then continues here from wherever they ended.
struct FieldScanner {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private let delimiters: UInt64
    /// The mask covers `base[window ..< window + 8]`; bit 8j+7 is set when byte j ends a field
    /// and has not been returned yet.
    private var window: Int
    private var mask: UInt64 = 0

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// A scanner of `base[..<end]` that starts at `position`.
    init(base: UnsafePointer<UInt8>, end: Int, delimiter: UInt8, at position: Int) {
        self.base = base
        self.end = end
        delimiters = UInt64(delimiter) &* Self.ones
        window = position
        load(at: position)
    }

    /// The position of the next delimiter, LF or CR after the last one returned (or at or
    /// after the position given to ``restart(at:)``), or `end` if none.
    @inline(__always)
    mutating func next() -> Int {
        while mask == 0 { load(at: window &+ 8) }
        let found = window &+ mask.trailingZeroBitCount &>> 3
        mask &= mask &- 1
        return min(found, end)
    }

    /// Continues the scan at `position` (after bytes the caller stepped over itself: a quoted
    /// field, the LF of a CRLF, blank lines).
    @inline(__always)
    mutating func restart(at position: Int) {
        load(at: position)
    }

    @inline(__always)
    private mutating func load(at position: Int) {
        window = position
        let word: UInt64
        if position &+ 8 <= end {
            word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
        } else if position >= end {
            mask = 0x80  // the end of the bytes ends the field
            return
        } else {
            // Past the end reads as delimiters, so the scan stops at `end`.
            var tail = delimiters
            for k in 0..<(end &- position) {
                tail = (tail & ~(0xFF &<< UInt64(k &* 8))) | (UInt64(base[position &+ k]) &<< UInt64(k &* 8))
            }
            word = tail
        }
        mask = Self.fieldEnds(word, delimiters: delimiters)
    }

    /// Bit 8j+7 set exactly where byte j of `word` is zero. Exact per byte (no borrow between
    /// bytes): a byte b is zero iff ((b & 0x7F) + 0x7F) | b has its top bit clear.
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        ~(((word & low7) &+ low7) | word | low7)
    }

    /// Bit 8j+7 set exactly where byte j of `word` is the delimiter, LF or CR: ``zeroBytes(_:)``
    /// of the three comparisons, fused into one complement.
    @inline(__always)
    static func fieldEnds(_ word: UInt64, delimiters: UInt64) -> UInt64 {
        let d = word ^ delimiters
        let l = word ^ (UInt64(CSVCursor.lineFeed) &* ones)
        let c = word ^ (UInt64(CSVCursor.carriageReturn) &* ones)
        let nonZeroD = ((d & low7) &+ low7) | d
        let nonZeroL = ((l & low7) &+ low7) | l
        let nonZeroC = ((c & low7) &+ low7) | c
        return ~(nonZeroD & nonZeroL & nonZeroC | low7)
    }
}
