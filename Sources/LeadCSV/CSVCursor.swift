/// One field as found in the bytes: `start..<start+count`, with `""` still doubled when
/// `escaped`.
struct RawField {
    var start: Int
    var count: Int
    var escaped: Bool
    var endsRow: Bool
}

/// The byte-level scanner: tracks the position and the 1-based physical line.
struct CSVCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    let file: String
    var position = 0
    var line = 1

    static let quote: UInt8 = 0x22
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    init(base: UnsafePointer<UInt8>, end: Int, file: String) {
        self.base = base
        self.end = end
        self.file = file
    }

    var atEnd: Bool { position >= end }

    mutating func skipByteOrderMark() {
        if end >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { position = 3 }
    }

    /// Skips empty lines (no bytes between line ends).
    @inline(__always)
    mutating func skipBlankLines() {
        while position < end, base[position] == Self.lineFeed || base[position] == Self.carriageReturn {
            consumeLineEnd()
        }
    }

    @inline(__always)
    private mutating func consumeLineEnd() {
        if base[position] == Self.carriageReturn, position + 1 < end, base[position + 1] == Self.lineFeed {
            position += 2
        } else {
            position += 1
        }
        line += 1
    }

    /// A guess at the number of data rows, from the length of the first line.
    func estimatedRows() -> Int {
        var probe = position
        while probe < end, base[probe] != Self.lineFeed { probe += 1 }
        let length = max(1, probe - position + 1)
        return min(end / length + 16, 50_000_000)
    }

    /// How often each delimiter occurs outside quotes on the record starting here.
    func delimiterCountsOnFirstLine() -> [Delimiter: Int] {
        var counts: [Delimiter: Int] = [:]
        var inQuotes = false
        var probe = position
        while probe < end {
            let byte = base[probe]
            if byte == Self.quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if byte == Self.lineFeed || byte == Self.carriageReturn { break }
                if let delimiter = Delimiter(rawValue: byte) { counts[delimiter, default: 0] += 1 }
            }
            probe += 1
        }
        return counts
    }

    /// Reads the header record: unquoted, unescaped, trimmed names.
    mutating func readHeader(delimiter: UInt8, scratch: inout [UInt8]) throws(LeadTableError) -> [String] {
        var names: [String] = []
        var ended = false
        while !ended {
            let index = names.count
            let field = try nextField(delimiter: delimiter) { "#\(index + 1)" }
            ended = field.endsRow
            let name = withCell(field, scratch: &scratch, trim: true) { pointer, count in
                String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
            }
            names.append(name)
        }
        return names
    }

    /// Scans one field and the delimiter or line end after it.
    @inline(__always)
    mutating func nextField(delimiter: UInt8, columnName: () -> String) throws(LeadTableError) -> RawField {
        var field = RawField(start: position, count: 0, escaped: false, endsRow: false)
        if position < end, base[position] == Self.quote {
            let openingLine = line
            position += 1
            field.start = position
            while true {
                guard position < end else { throw .unterminatedQuote(file: file, line: openingLine) }
                let byte = base[position]
                if byte == Self.quote {
                    if position + 1 < end, base[position + 1] == Self.quote {
                        field.escaped = true
                        position += 2
                        continue
                    }
                    field.count = position - field.start
                    position += 1
                    break
                }
                if byte == Self.lineFeed {
                    line += 1
                } else if byte == Self.carriageReturn, position + 1 >= end || base[position + 1] != Self.lineFeed {
                    line += 1
                }
                position += 1
            }
            if position < end {
                let byte = base[position]
                if byte != delimiter, byte != Self.lineFeed, byte != Self.carriageReturn {
                    throw .textAfterClosingQuote(file: file, line: line, column: columnName())
                }
            }
        } else {
            while position < end {
                let byte = base[position]
                if byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn { break }
                position += 1
            }
            field.count = position - field.start
        }
        field.endsRow = consumeFieldEnd(delimiter: delimiter)
        return field
    }

    /// Steps over the delimiter or line end at `position` (nothing at the end of the bytes);
    /// true when that ends the row.
    @inline(__always) @discardableResult
    mutating func consumeFieldEnd(delimiter: UInt8) -> Bool {
        if position >= end { return true }
        if base[position] == delimiter {
            position += 1
            return false
        }
        consumeLineEnd()
        return true
    }

    /// Calls `body` with the field's bytes: quotes undoubled, optionally trimmed of spaces and tabs.
    @inline(__always)
    func withCell<R>(_ field: RawField, scratch: inout [UInt8], trim: Bool, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        var start = field.start
        var count = field.count
        if field.escaped {
            scratch.removeAll(keepingCapacity: true)
            var k = start
            let stop = start + count
            while k < stop {
                scratch.append(base[k])
                k += base[k] == Self.quote ? 2 : 1
            }
            return scratch.withUnsafeBufferPointer { buffer in
                var s = 0
                var n = buffer.count
                if trim { Self.trim(buffer.baseAddress ?? base, &s, &n) }
                return body((buffer.baseAddress ?? base) + s, n)
            }
        }
        if trim { Self.trim(base, &start, &count) }
        return body(base + start, count)
    }

    @inline(__always)
    static func trim(_ base: UnsafePointer<UInt8>, _ start: inout Int, _ count: inout Int) {
        // Most cells have no blank at either end: two byte tests and done.
        guard count > 0, isBlank(base[start]) || isBlank(base[start &+ count &- 1]) else { return }
        while count > 0, base[start] == 0x20 || base[start] == 0x09 {
            start += 1
            count -= 1
        }
        while count > 0, base[start + count - 1] == 0x20 || base[start + count - 1] == 0x09 { count -= 1 }
    }

    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
