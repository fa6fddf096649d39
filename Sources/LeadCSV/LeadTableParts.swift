import BatonSupport
import Dispatch
import Foundation

extension LeadTableReader {
    /// Bytes of the file per part of ``mapParts(url:columns:partBytes:_:)``, by default: a part's
    /// columns (a few thousand rows) stay in a core's cache while they are parsed and used.
    package static let defaultPartBytes = 1 << 20

    /// Reads the requested columns of the CSV file at `url` part by part, and hands each part's
    /// rows, as a ``LeadTable`` of their own (``LeadTablePart``), to `transform` as soon as they
    /// are parsed; the parts run on all cores and the results come back in file order.
    ///
    /// The whole table is never built: each core holds one part's columns at a time and the
    /// allocator reuses their memory for the next part, so a scan of a large file writes a few
    /// MiB of fresh memory instead of its whole table (on the project's build host, the kernel's
    /// zeroing of the table's fresh pages was a third of `baton validate`'s CPU).
    ///
    /// Parts are cut every `partBytes` bytes or so, at row starts outside quoted fields, as the
    /// whole read cuts its chunks, and each is parsed by the same row parser. Within a part, text
    /// levels are in order of first appearance in the part, and ``LeadTable/lineOfRow`` counts
    /// the part's first line as line 1 (only the first part's lines are the file's), so
    /// `transform` must not name lines: it returns nil where it would report an error.
    ///
    /// - Returns: the results in file order, or nil when the file is not a regular file (left
    ///   unread), when a part does not parse, or when `transform` returns nil for one (the parts
    ///   not started by then are skipped). The caller then reads the file whole
    ///   (``read(url:columns:delimiter:spareNumericColumns:)``), whose errors name the file's lines.
    /// - Throws: what the whole read throws before its first row: an empty file, an unknown
    ///   column, an ambiguous delimiter, no data rows.
    package static func mapParts<T: Sendable>(
        url: URL, columns: [ColumnRequest], partBytes: Int = defaultPartBytes, _ transform: (LeadTablePart) -> T?
    ) throws(LeadTableError) -> [T]? {
        precondition(partBytes >= 1, "LeadTableReader.mapParts: partBytes must be at least 1")
        // Only a regular file can be read again after a declined attempt; anything else (a pipe,
        // `/dev/stdin`) is left unread for the whole read.
        guard url.isFileURL, InputFile.problem(atPath: url.path) != .notRegular, let mapped = MappedFile(path: url.path) else { return nil }
        return try withExtendedLifetime(mapped) { () throws(LeadTableError) -> [T]? in
            try mapParts(bytes: mapped.bytes, file: url.path, columns: columns, partBytes: partBytes, transform)
        }
    }

    /// ``mapParts(url:columns:partBytes:_:)`` over CSV text held in memory (tests).
    static func mapParts<T: Sendable>(
        text: String, file: String, columns: [ColumnRequest], partBytes: Int, _ transform: (LeadTablePart) -> T?
    ) throws(LeadTableError) -> [T]? {
        let bytes = Array(text.utf8)
        let result: Result<[T]?, LeadTableError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(LeadTableError) {
                return .success(try mapParts(bytes: buffer, file: file, columns: columns, partBytes: partBytes, transform))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func mapParts<T: Sendable>(
        bytes: UnsafeBufferPointer<UInt8>, file: String, columns: [ColumnRequest], partBytes: Int,
        _ transform: (LeadTablePart) -> T?
    ) throws(LeadTableError) -> [T]? {
        let (base, cursor, header, delimiter, plan) = try dataRows(bytes: bytes, file: file, columns: columns, delimiter: nil)
        let ranges = ChunkSplitter.ranges(
            base: base, start: cursor.position, end: bytes.count,
            parts: max(1, (bytes.count - cursor.position) / partBytes), delimiter: delimiter.rawValue)
        let rows = RowRanges(
            base: base, ranges: ranges, firstLine: cursor.line, file: file, delimiter: delimiter.rawValue, header: header, plan: plan)
        return withoutActuallyEscaping(transform) { transform in
            PartJob(rows: rows, byteCount: bytes.count, delimiter: delimiter, transform: transform).run()
        }
    }
}

/// The parts of one file, each parsed and transformed by one task; results in part order.
private final class PartJob<T: Sendable>: @unchecked Sendable {
    private let rows: RowRanges
    private let byteCount: Int
    private let delimiter: Delimiter
    private let transform: (LeadTablePart) -> T?
    // Each task writes only its own slot; read after concurrentPerform returns.
    private let results: UnsafeMutablePointer<T?>
    /// Set by the first part that fails: the parts not yet started are skipped.
    private var stopped = false
    private let lock = NSLock()

    init(rows: RowRanges, byteCount: Int, delimiter: Delimiter, transform: @escaping (LeadTablePart) -> T?) {
        (self.rows, self.byteCount, self.delimiter, self.transform) = (rows, byteCount, delimiter, transform)
        results = .allocate(capacity: rows.count)
        results.initialize(repeating: nil, count: rows.count)
    }

    deinit {
        results.deinitialize(count: rows.count)
        results.deallocate()
    }

    func run() -> [T]? {
        DispatchQueue.concurrentPerform(iterations: rows.count) { index in
            guard !lock.withLock({ stopped }) else { return }
            results[index] = part(index)
            if results[index] == nil { lock.withLock { stopped = true } }
        }
        var collected: [T] = []
        collected.reserveCapacity(rows.count)
        for index in 0..<rows.count {
            guard let result = results[index] else { return nil }
            collected.append(result)
        }
        return collected
    }

    /// Part `index` parsed (into a table sized by counting its rows first, when the count is
    /// exact, so nothing is copied) and transformed; nil when either fails.
    private func part(_ index: Int) -> T? {
        let clock = ContinuousClock()
        let start = clock.now
        let storage = rows.exactRowCount(index).map {
            TableStorage(rows: $0, numericCount: rows.plan.numericCount, textCount: rows.plan.textCount)
        }
        let chunk: ChunkColumns
        do throws(LeadTableError) {
            chunk = try rows.parse(index, table: storage.map { ($0, 0, $0.rows) })
        } catch {
            return nil
        }
        defer { chunk.deallocate() }
        let table = ChunkMerge.table(
            [chunk], plan: rows.plan, file: rows.file, header: rows.header, delimiter: delimiter, byteCount: byteCount,
            storage: storage)
        return transform(LeadTablePart(index: index, table: table, parseTime: clock.now - start))
    }
}

/// One part of a file read by ``LeadTableReader/mapParts(url:columns:partBytes:_:)``.
package struct LeadTablePart: Sendable {
    /// The part's place in the file, from 0.
    package let index: Int
    /// The part's rows (lines counted from the part's first line, except in part 0).
    package let table: LeadTable
    /// How long the part took to parse, on the core that parsed it.
    package let parseTime: Duration
}
