import Foundation

/// Reads a CSV file as a sequence of ``LeadTable`` blocks of at most ``blockRows`` data rows
/// each, holding only one block of the file in memory at a time (data larger than memory).
///
/// The format, the delimiter detection, the cell rules and every error are those of
/// ``LeadTableReader``: each block is parsed by the same row parser (on all cores when the
/// block is at least ``LeadTableReader`` 's parallel threshold), starting at the block's
/// absolute physical line, so ``LeadTable/lineOfRow`` and the lines in errors are the file's.
/// Blocks end at row ends outside quoted fields, so a quoted cell with line breaks is never
/// split. Text levels are in order of first appearance within the block.
///
/// Memory: the bytes of one block (plus one read of ``readSize`` bytes) and its parsed columns. A
/// quoted field that is never closed makes the rest of the file one row; it is read whole
/// before the parser reports it.
package final class LeadTableBlockReader {
    /// The file name used in messages (the path as given).
    package let file: String
    /// Header names, trimmed, in file order.
    package private(set) var header: [String] = []
    /// The detected (or forced) delimiter.
    package private(set) var delimiter: Delimiter = .comma
    /// The most data rows in one block, ≥ 1.
    package let blockRows: Int
    /// Bytes read from the file so far.
    package private(set) var bytesRead = 0

    /// The file's size now (`fstat` of the open file), or nil when it is not a regular file.
    package var fileSize: Int? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// Bytes asked of the file per read, by default.
    package static let defaultReadSize = 1 << 20
    /// Bytes asked of the file per read.
    package let readSize: Int

    private let descriptor: Int32
    private var plan: ColumnPlan
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Valid bytes are `buffer[start..<filled]`; `start` is a row start (or blank lines).
    private var start = 0
    private var filled = 0
    private var atEndOfFile = false
    /// Physical line at `start`.
    private var line = 1
    private let onBytes: ((UnsafeRawBufferPointer) -> Void)?

    /// Opens `url` and reads its header.
    /// - Parameters:
    ///   - columns: what to read, as for ``LeadTableReader/read(url:columns:delimiter:)``.
    ///   - blockRows: the most data rows per block (≥ 1).
    ///   - readSize: bytes per read (tests use a few bytes to put reads inside quoted cells).
    ///   - onBytes: called with every byte range read, in file order (to hash the file on the way).
    package init(
        url: URL, columns: [ColumnRequest], blockRows: Int, delimiter forced: Delimiter? = nil,
        readSize: Int = defaultReadSize, onBytes: ((UnsafeRawBufferPointer) -> Void)? = nil
    ) throws(LeadTableError) {
        precondition(blockRows >= 1 && readSize >= 1, "LeadTableBlockReader: blockRows and readSize must be at least 1")
        self.readSize = readSize
        file = url.path
        self.blockRows = blockRows
        self.onBytes = onBytes
        var requests: [ColumnRequest] = []
        for request in columns where !requests.contains(request) {
            precondition(!requests.contains { $0.name == request.name }, "LeadTableBlockReader: \(request.name) requested with two kinds")
            requests.append(request)
        }
        try LeadTableReader.refuseNonRegular(url)
        let opened = open(url.path, O_RDONLY)
        guard opened >= 0 else {
            throw .unreadable(file: url.path, reason: String(cString: strerror(errno)))
        }
        descriptor = opened
        capacity = max(64, readSize * 2)
        buffer = .allocate(capacity: capacity)
        plan = try ColumnPlan(header: [], requests: [], file: url.path)  // replaced once the header is read
        do {
            // The header record must be whole in the buffer before it is parsed.
            var headerEnd: Int?
            while headerEnd == nil {
                try fill()
                var state = ChunkSplitter.ScanState(position: 0, inQuotes: false, atFieldStart: true)
                // Skip a byte-order mark and blank lines, as the reader does, before the scan.
                var probe = CSVCursor(base: buffer, end: filled, file: file)
                probe.skipByteOrderMark()
                probe.skipBlankLines()
                state.position = probe.position
                if let cut = ChunkSplitter.nextRowStart(
                    &state, base: buffer, end: filled,
                    delimiter: forced?.rawValue ?? Delimiter.comma.rawValue),
                    cut < filled || atEndOfFile
                {
                    headerEnd = cut
                } else if atEndOfFile {
                    headerEnd = filled
                }
            }
            var cursor = CSVCursor(base: buffer, end: filled, file: file)
            cursor.skipByteOrderMark()
            cursor.skipBlankLines()
            guard !cursor.atEnd else { throw LeadTableError.emptyFile(file: file) }
            let delimiter: Delimiter
            if let forced {
                delimiter = forced
            } else {
                delimiter = try LeadTableReader.detectDelimiter(cursor: cursor, requested: requests.map(\.name))
            }
            var scratch: [UInt8] = []
            let names = try cursor.readHeader(delimiter: delimiter.rawValue, scratch: &scratch)
            plan = try ColumnPlan(header: names, requests: requests, file: file)
            header = names
            self.delimiter = delimiter
            start = cursor.position
            line = cursor.line
            // At least one data row, as the whole-file reader requires.
            while true {
                cursor = CSVCursor(base: buffer, end: filled, file: file)
                cursor.position = start
                cursor.skipBlankLines()
                if !cursor.atEnd { break }
                if atEndOfFile { throw LeadTableError.noDataRows(file: file, header: header) }
                try fill()
            }
        }
        // On a throw above, deinit closes the file and frees the buffer.
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// The next block of up to ``blockRows`` rows, or nil after the last row.
    package func next() throws(LeadTableError) -> LeadTable? {
        var position = start
        var rows = 0
        scan: while rows < blockRows {
            if position >= filled {
                if atEndOfFile { break scan }
                position = try refill(keeping: position)
                continue
            }
            let byte = buffer[position]
            if byte == CSVCursor.lineFeed || byte == CSVCursor.carriageReturn {
                // A blank line between rows: the parser skips it; a CR at the end of the bytes
                // read may still be the first half of CRLF.
                if byte == CSVCursor.carriageReturn, position + 1 >= filled, !atEndOfFile {
                    position = try refill(keeping: position)
                    continue
                }
                position +=
                    byte == CSVCursor.carriageReturn && position + 1 < filled
                        && buffer[position + 1] == CSVCursor.lineFeed ? 2 : 1
                continue
            }
            var state = ChunkSplitter.ScanState(position: position, inQuotes: false, atFieldStart: true)
            if let cut = ChunkSplitter.nextRowStart(&state, base: buffer, end: filled, delimiter: delimiter.rawValue),
                cut < filled || atEndOfFile
            {
                rows += 1
                position = cut
            } else if atEndOfFile {
                rows += 1  // the last row has no line end (or an unclosed quote the parser names)
                position = filled
            } else {
                position = try refill(keeping: position)
            }
        }
        guard rows > 0 else { return nil }
        let table = try parse(from: start, to: position)
        start = position
        return table
    }

    /// Parses the whole rows in `from..<to` and moves ``line`` past them.
    private func parse(from: Int, to: Int) throws(LeadTableError) -> LeadTable {
        let parts = LeadTableReader.chunkCount(bytes: to - from)
        let ranges = ChunkSplitter.ranges(base: buffer, start: from, end: to, parts: parts, delimiter: delimiter.rawValue)
        var chunks: [ChunkColumns] = []
        if ranges.count > 1 {
            let job = ParallelChunks(
                RowRanges(
                    base: buffer, ranges: ranges, firstLine: line, file: file, delimiter: delimiter.rawValue, header: header,
                    plan: plan))
            var failed = false
            for result in job.run() {
                switch result {
                case let .success(chunk): chunks.append(chunk)
                case .failure: failed = true
                }
            }
            if failed {
                // Later chunks count lines from 1; the serial parse names the bad row's line.
                for chunk in chunks { chunk.deallocate() }
                chunks = []
            }
        }
        if chunks.isEmpty {
            chunks = [
                try RowParser.parse(
                    base: buffer, start: from, end: to, firstLine: line, file: file,
                    delimiter: delimiter.rawValue, header: header, plan: plan)
            ]
        }
        defer { for chunk in chunks { chunk.deallocate() } }
        var endLine = chunks[0].endLine
        for chunk in chunks.dropFirst() { endLine += chunk.endLine - 1 }
        line = endLine
        return ChunkMerge.table(
            chunks, plan: plan, file: file, header: header, delimiter: delimiter,
            byteCount: to - from)
    }

    /// Moves the unconsumed bytes to the front, reads more, and returns `position` shifted.
    private func refill(keeping position: Int) throws(LeadTableError) -> Int {
        let shift = start
        if shift > 0 {
            buffer.update(from: buffer + shift, count: filled - shift)
            filled -= shift
            start = 0
        }
        try fill()
        return position - shift
    }

    /// Reads up to ``readSize`` more bytes after `filled`, growing the buffer if needed.
    private func fill() throws(LeadTableError) {
        if capacity - filled < readSize {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: filled)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        var count: Int
        repeat {
            count = read(descriptor, buffer + filled, min(readSize, capacity - filled))
        } while count < 0 && errno == EINTR
        guard count >= 0 else { throw .unreadable(file: file, reason: String(cString: strerror(errno))) }
        if count == 0 {
            atEndOfFile = true
            if bytesRead == 0 { throw .emptyFile(file: file) }
            return
        }
        onBytes?(UnsafeRawBufferPointer(start: buffer + filled, count: count))
        filled += count
        bytesRead += count
    }
}
