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
public enum LeadTableReader {
    /// Reads the requested columns of the CSV file at `url`.
    /// - Parameters:
    ///   - columns: what to read; a name may appear more than once only with the same kind.
    ///   - delimiter: force a delimiter instead of detecting it.
    /// - Precondition: no name is requested with two different kinds.
    public static func read(url: URL, columns: [ColumnRequest], delimiter: Delimiter? = nil) throws(LeadTableError) -> LeadTable {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        return try read(data: data, file: url.path, columns: columns, delimiter: delimiter)
    }

    /// Reads the requested columns of CSV text held in memory; `file` names it in messages.
    public static func read(data: Data, file: String, columns: [ColumnRequest], delimiter: Delimiter? = nil) throws(LeadTableError) -> LeadTable {
        let result: Result<LeadTable, LeadTableError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            do throws(LeadTableError) {
                return .success(try read(bytes: bytes, file: file, columns: columns, delimiter: delimiter))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads CSV given as a string (tests, small inputs).
    public static func read(text: String, file: String, columns: [ColumnRequest], delimiter: Delimiter? = nil) throws(LeadTableError) -> LeadTable {
        try read(data: Data(text.utf8), file: file, columns: columns, delimiter: delimiter)
    }

    static func read(bytes: UnsafeBufferPointer<UInt8>, file: String, columns: [ColumnRequest], delimiter forced: Delimiter?) throws(LeadTableError) -> LeadTable {
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
        var lineOfRow: [Int] = []
        lineOfRow.reserveCapacity(cursor.estimatedRows())
        plan.reserve(lineOfRow.capacity)
        let expected = header.count
        while !cursor.atEnd {
            let rowLine = cursor.line
            var field = 0
            var rowEnded = false
            while !rowEnded {
                let fieldLine = cursor.line
                let cell = try cursor.nextField(delimiter: delimiter.rawValue) { () -> String in
                    field < expected ? header[field] : "#\(field + 1)"
                }
                rowEnded = cell.endsRow
                if field < expected, let sink = plan.sinks[field] {
                    try sink.take(cell, cursor: cursor, line: fieldLine, scratch: &scratch)
                }
                field += 1
            }
            guard field == expected else {
                throw .wrongFieldCount(file: file, line: rowLine, found: field, expected: expected)
            }
            lineOfRow.append(rowLine)
            cursor.skipBlankLines()
        }
        return plan.table(file: file, header: header, delimiter: delimiter, lineOfRow: lineOfRow, byteCount: bytes.count)
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
