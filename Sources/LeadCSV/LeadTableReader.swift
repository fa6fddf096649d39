import BatonSupport
import Dispatch
import Foundation

/// Reads CSV files into a ``LeadTable``, parsing straight from the file's bytes into typed
/// column storage for the requested columns only.
///
/// Format: RFC 4180 quoting (quoted fields may hold delimiters, line breaks and `""` for a
/// quote), LF, CRLF or lone CR line ends (mixed is fine), an optional UTF-8 byte-order mark,
/// and blank lines skipped. The delimiter is detected from the header line: the one of `,`
/// `;` tab that occurs there outside quotes; when several occur, the one whose split yields
/// every requested column wins, and if that is still not unique the read fails with
/// ``LeadTableError/ambiguousDelimiter(file:candidates:)``. A header with none of them is a
/// one-column file. Header names and numeric / text cells are trimmed of surrounding spaces
/// and tabs; raw cells are kept as written.
package enum LeadTableReader {
    /// Reads the requested columns of the CSV file at `url`.
    /// - Parameters:
    ///   - columns: what to read; a name may appear more than once only with the same kind.
    ///   - delimiter: force a delimiter instead of detecting it.
    ///   - spareNumericColumns: columns of rows to leave unwritten in front of the numeric
    ///     columns, in the same allocation (``LeadTable/numberBlock``): room for the intercept of
    ///     a design matrix built over the numbers where they lie.
    /// - Precondition: no name is requested with two different kinds.
    package static func read(
        url: URL, columns: [ColumnRequest], delimiter: Delimiter? = nil, spareNumericColumns: Int = 0
    ) throws(LeadTableError) -> LeadTable {
        try refuseNonRegular(url)
        if url.isFileURL, let mapped = MappedFile(path: url.path) {
            return try withExtendedLifetime(mapped) { () throws(LeadTableError) -> LeadTable in
                try read(
                    bytes: mapped.bytes, file: url.path, columns: columns, delimiter: delimiter,
                    spareNumericColumns: spareNumericColumns)
            }
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        return try read(data: data, file: url.path, columns: columns, delimiter: delimiter, spareNumericColumns: spareNumericColumns)
    }

    /// Throws ``LeadTableError/notRegularFile(file:)`` for a pipe, FIFO, socket or device, before
    /// anything opens it (opening a FIFO blocks until a writer comes; reading it would consume
    /// what the next read needs).
    static func refuseNonRegular(_ url: URL) throws(LeadTableError) {
        if url.isFileURL, InputFile.problem(atPath: url.path) == .notRegular { throw .notRegularFile(file: url.path) }
    }

    /// The header names of the CSV file at `url`, read as ``read(url:columns:delimiter:)`` reads
    /// them (byte-order mark and blank lines skipped, names unquoted and trimmed; delimiter: the
    /// most frequent of `,` `;` tab on the header line outside quotes), so a caller can check
    /// which columns exist before it chooses what to read.
    ///
    /// Only the start of the file is read (64 KiB, more when the header record is longer), so a
    /// caller that reads the whole file next does not read it twice.
    package static func header(url: URL) throws(LeadTableError) -> [String] {
        try refuseNonRegular(url)
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        defer { try? handle.close() }
        var prefix: [UInt8] = []
        var wanted = 1 << 16
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: wanted - prefix.count)
            } catch {
                throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
            }
            prefix += chunk ?? Data()
            let wholeFile = prefix.count < wanted
            switch header(in: prefix, file: url.path) {
            case let .success((names, complete)) where complete || wholeFile: return names
            case let .failure(error) where wholeFile: throw error
            default: wanted *= 4  // the header record runs past what was read: read more
            }
        }
    }

    /// The header record at the start of `bytes`, and whether a line end (or more data) followed
    /// it, so that it cannot continue past `bytes`.
    private static func header(in bytes: [UInt8], file: String) -> Result<([String], Bool), LeadTableError> {
        bytes.withUnsafeBufferPointer { buffer in
            do throws(LeadTableError) {
                guard let base = buffer.baseAddress, buffer.count > 0 else { throw .emptyFile(file: file) }
                var cursor = CSVCursor(base: base, end: buffer.count, file: file)
                cursor.skipByteOrderMark()
                cursor.skipBlankLines()
                guard !cursor.atEnd else { throw .emptyFile(file: file) }
                let delimiter = try detectDelimiter(cursor: cursor, requested: [])
                var scratch: [UInt8] = []
                let names = try cursor.readHeader(delimiter: delimiter.rawValue, scratch: &scratch)
                return .success((names, !cursor.atEnd))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Reads the requested columns of CSV text held in memory; `file` names it in messages.
    package static func read(
        data: Data, file: String, columns: [ColumnRequest], delimiter: Delimiter? = nil, spareNumericColumns: Int = 0
    ) throws(LeadTableError) -> LeadTable {
        let result: Result<LeadTable, LeadTableError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            do throws(LeadTableError) {
                return .success(
                    try read(bytes: bytes, file: file, columns: columns, delimiter: delimiter, spareNumericColumns: spareNumericColumns))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads CSV text cut into `parts` chunks parsed concurrently, whatever its size (tests).
    static func read(
        text: String, file: String, columns: [ColumnRequest], parts: Int, spareNumericColumns: Int = 0
    ) throws(LeadTableError) -> LeadTable {
        let bytes = Array(text.utf8)
        let result: Result<LeadTable, LeadTableError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(LeadTableError) {
                return .success(
                    try read(bytes: buffer, file: file, columns: columns, delimiter: nil, parts: parts, spareNumericColumns: spareNumericColumns))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads CSV given as a string (tests, small inputs).
    package static func read(text: String, file: String, columns: [ColumnRequest], delimiter: Delimiter? = nil) throws(LeadTableError) -> LeadTable {
        try read(data: Data(text.utf8), file: file, columns: columns, delimiter: delimiter)
    }

    /// `parts` forces the number of chunks parsed concurrently (tests); nil = ``chunkCount(bytes:)``.
    static func read(
        bytes: UnsafeBufferPointer<UInt8>, file: String, columns: [ColumnRequest], delimiter forced: Delimiter?,
        parts requestedParts: Int? = nil, spareNumericColumns: Int = 0
    ) throws(LeadTableError) -> LeadTable {
        precondition(spareNumericColumns >= 0, "LeadTableReader: \(spareNumericColumns) spare columns")
        let (base, cursor, header, delimiter, plan) = try dataRows(bytes: bytes, file: file, columns: columns, delimiter: forced)
        let parts = requestedParts ?? chunkCount(bytes: bytes.count)
        let ranges = ChunkSplitter.ranges(
            base: base, start: cursor.position, end: bytes.count, parts: parts,
            delimiter: delimiter.rawValue)
        let chunks: [ChunkColumns]
        var storage: TableStorage?
        if ranges.count == 1 {
            chunks = [
                try RowParser.parse(
                    base: base, start: cursor.position, end: bytes.count, firstLine: cursor.line,
                    file: file, delimiter: delimiter.rawValue, header: header, plan: plan)
            ]
        } else {
            let job = ParallelChunks(
                RowRanges(
                    base: base, ranges: ranges, firstLine: cursor.line, file: file, delimiter: delimiter.rawValue, header: header,
                    plan: plan))
            storage = job.placeRows(spareNumericColumns: spareNumericColumns)
            let results = job.run()
            var parsed: [ChunkColumns] = []
            var failed = false
            for index in ranges.indices {
                switch results[index] {
                case let .success(chunk): parsed.append(chunk)
                case .failure: failed = true
                }
            }
            if failed {
                // Line numbers past the first chunk are relative; the serial parse names the
                // first bad row exactly as a one-core read would.
                for chunk in parsed { chunk.deallocate() }
                storage = nil
                chunks = [
                    try RowParser.parse(
                        base: base, start: cursor.position, end: bytes.count, firstLine: cursor.line,
                        file: file, delimiter: delimiter.rawValue, header: header, plan: plan)
                ]
            } else {
                chunks = parsed
            }
        }
        defer { for chunk in chunks { chunk.deallocate() } }
        return ChunkMerge.table(
            chunks, plan: plan, file: file, header: header, delimiter: delimiter,
            byteCount: bytes.count, storage: storage, spareNumericColumns: spareNumericColumns)
    }

    /// The header of CSV text in `bytes`, its delimiter, the plan for `columns`, and a cursor at
    /// the first data row. Throws what ``read(url:columns:delimiter:spareNumericColumns:)`` throws
    /// before it parses a row (empty file, unknown column, ambiguous delimiter, no data rows).
    static func dataRows(
        bytes: UnsafeBufferPointer<UInt8>, file: String, columns: [ColumnRequest], delimiter forced: Delimiter?
    ) throws(LeadTableError) -> (
        base: UnsafePointer<UInt8>, cursor: CSVCursor, header: [String], delimiter: Delimiter, plan: ColumnPlan
    ) {
        var requests: [ColumnRequest] = []
        for request in columns where !requests.contains(request) {
            precondition(!requests.contains { $0.name == request.name }, "LeadTableReader: \(request.name) requested with two kinds")
            requests.append(request)
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw .emptyFile(file: file) }
        var cursor = CSVCursor(base: base, end: bytes.count, file: file)
        cursor.skipByteOrderMark()
        cursor.skipBlankLines()
        guard !cursor.atEnd else { throw .emptyFile(file: file) }

        let delimiter: Delimiter
        if let forced {
            delimiter = forced
        } else {
            delimiter = try detectDelimiter(cursor: cursor, requested: requests.map(\.name))
        }
        var scratch: [UInt8] = []
        let header = try cursor.readHeader(delimiter: delimiter.rawValue, scratch: &scratch)
        let plan = try ColumnPlan(header: header, requests: requests, file: file)

        cursor.skipBlankLines()
        guard !cursor.atEnd else { throw .noDataRows(file: file, header: header) }
        return (base, cursor, header, delimiter, plan)
    }

    /// Files at least this large are parsed on all cores.
    static let parallelThreshold = 1 << 22

    /// How many chunks a file of `bytes` is cut into: one below ``parallelThreshold``, else four
    /// per core (each at least 1 MiB). Dispatch hands chunks to cores as they come free, so a
    /// core slowed by other work (page faults on this VM, another process) parses fewer of them
    /// instead of the other core waiting for its half; the merge costs the same per row.
    static func chunkCount(bytes: Int) -> Int {
        guard bytes >= parallelThreshold else { return 1 }
        return max(1, min(4 * processorCount(), bytes >> 20))
    }

    static func processorCount() -> Int {
        onlineProcessorCount()
    }

    /// The delimiter that splits the header line, see the type's documentation.
    static func detectDelimiter(cursor: CSVCursor, requested: [String]) throws(LeadTableError) -> Delimiter {
        let counts = cursor.delimiterCountsOnFirstLine()
        let present = Delimiter.allCases.filter { (counts[$0] ?? 0) > 0 }
        if present.isEmpty { return .comma }
        if present.count == 1 { return present[0] }
        var fitting: [Delimiter] = []
        for candidate in present {
            var probe = cursor
            var scratch: [UInt8] = []
            guard let names = try? probe.readHeader(delimiter: candidate.rawValue, scratch: &scratch) else { continue }
            if !requested.isEmpty, requested.allSatisfy(names.contains) { fitting.append(candidate) }
        }
        if fitting.count == 1 { return fitting[0] }
        if fitting.count > 1 { throw .ambiguousDelimiter(file: cursor.file, candidates: fitting.map(\.description)) }
        // No candidate yields every requested name: use the most frequent one, so that the
        // unknown-column message shows the header as most likely meant.
        return present.max { (counts[$0] ?? 0) < (counts[$1] ?? 0) } ?? .comma
    }
}

/// The chunks of one file parsed concurrently, one task per range; results in range order.
final class ParallelChunks: @unchecked Sendable {
    private let rows: RowRanges
    // Each task writes only its own slot; read after concurrentPerform returns.
    private let results: UnsafeMutablePointer<Result<ChunkColumns, LeadTableError>>
    /// The table the chunks parse into, and each chunk's first row and row count in it.
    private var placement: (storage: TableStorage, offsets: [Int], rows: [Int])?

    init(_ rows: RowRanges) {
        self.rows = rows
        results = .allocate(capacity: rows.count)
    }

    deinit { results.deallocate() }

    /// Counts every chunk's rows (concurrently) and allocates the table they will be parsed
    /// into, when each count is exact (``RowCounter``); nil leaves each chunk its own storage.
    func placeRows(spareNumericColumns: Int = 0) -> TableStorage? {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: rows.count)
        defer { counts.deallocate() }
        let countsBase = SendableCounts(counts.baseAddress.unsafelyUnwrapped)
        DispatchQueue.concurrentPerform(iterations: rows.count) { index in
            countsBase.pointer[index] = rows.exactRowCount(index) ?? -1
        }
        guard counts.allSatisfy({ $0 >= 0 }) else { return nil }
        var offsets: [Int] = []
        var total = 0
        for count in counts {
            offsets.append(total)
            total += count
        }
        let storage = TableStorage(
            rows: total, numericCount: rows.plan.numericCount, textCount: rows.plan.textCount,
            spareNumericColumns: spareNumericColumns)
        placement = (storage, offsets, Array(counts))
        return storage
    }

    func run() -> [Result<ChunkColumns, LeadTableError>] {
        DispatchQueue.concurrentPerform(iterations: rows.count) { index in
            self.parse(index)
        }
        let collected = (0..<rows.count).map { results[$0] }
        results.deinitialize(count: rows.count)
        return collected
    }

    private func parse(_ index: Int) {
        do throws(LeadTableError) {
            let chunk = try rows.parse(index, table: placement.map { ($0.storage, $0.offsets[index], $0.rows[index]) })
            (results + index).initialize(to: .success(chunk))
        } catch {
            (results + index).initialize(to: .failure(error))
        }
    }
}

/// The per-chunk counts' buffer, written at disjoint indices by the counting tasks.
private struct SendableCounts: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int>
    init(_ pointer: UnsafeMutablePointer<Int>) { self.pointer = pointer }
}
