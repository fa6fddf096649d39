/// Counts the data rows of a byte range without parsing it, so that the reader can place each
/// chunk's rows in the table before the chunks are parsed (``TableStorage``).
///
/// Exact only for ranges without quote or carriage-return bytes: then every line feed ends a
/// line, and a row is a line that is not empty (``CSVCursor/skipBlankLines()`` skips empty
/// lines, and nothing else). Any other range gives nil and is read the general way. Eight
/// bytes per step (SWAR): one load gives the line-feed, quote and CR masks of eight bytes.
enum RowCounter {
    /// The rows in `base[range]` (which starts at a row start or at blank lines), or nil when
    /// the range holds a quote or a CR.
    static func rows(base: UnsafePointer<UInt8>, range: Range<Int>) -> Int? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let lineFeeds = UInt64(CSVCursor.lineFeed) &* ones
        let quotes = UInt64(CSVCursor.quote) &* ones
        let returns = UInt64(CSVCursor.carriageReturn) &* ones
        let zeroBytes = FieldScanner.zeroBytes
        var rows = 0
        // Bit 7 set when the byte before the current one is a line feed (the range start counts
        // as one: it is a row start or a blank line).
        var previousIsLineFeed: UInt64 = 0x80
        var position = range.lowerBound
        // Row starts are summed per byte lane (one 0/1 per lane per word) and folded into `rows`
        // every 255 words, before a lane can wrap: no population count per word, which the
        // baseline x86-64 target spells out in a dozen instructions. Quotes and CRs are
        // gathered the same way and checked at each fold.
        while position &+ 8 <= range.upperBound {
            let words = min((range.upperBound &- position) &>> 3, 255)
            var lanes: UInt64 = 0
            var unusual: UInt64 = 0
            for _ in 0..<words {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                unusual |= zeroBytes(word ^ quotes) | zeroBytes(word ^ returns)
                let feeds = zeroBytes(word ^ lineFeeds)
                // A row starts at a byte that is not a line feed right after one.
                let after = (feeds << 8) | previousIsLineFeed
                lanes &+= (~feeds & high & after) &>> 7
                previousIsLineFeed = (feeds >> 56) & 0x80
                position &+= 8
            }
            if unusual != 0 { return nil }
            rows &+= laneSum(lanes)
        }
        var afterFeed = previousIsLineFeed != 0
        while position < range.upperBound {
            let byte = base[position]
            if byte == CSVCursor.quote || byte == CSVCursor.carriageReturn { return nil }
            if byte != CSVCursor.lineFeed, afterFeed { rows &+= 1 }
            afterFeed = byte == CSVCursor.lineFeed
            position &+= 1
        }
        return rows
    }

    /// The sum of the eight byte lanes of `lanes` (each at most 255).
    @inline(__always)
    static func laneSum(_ lanes: UInt64) -> Int {
        let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes &>> 8) & 0x00FF_00FF_00FF_00FF)
        return Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) &>> 48)
    }
}
