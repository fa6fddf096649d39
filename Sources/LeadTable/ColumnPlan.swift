/// Where each header column's cells go: nowhere (skipped), or one typed sink.
final class ColumnPlan {
    /// One entry per header column; nil = not requested.
    let sinks: [ColumnSink?]
    private let requested: [ColumnSink]

    init(header: [String], requests: [ColumnRequest], file: String) throws(LeadTableError) {
        var sinks = [ColumnSink?](repeating: nil, count: header.count)
        var requested: [ColumnSink] = []
        for request in requests {
            let matches = header.indices.filter { header[$0] == request.name }
            guard let index = matches.first else {
                throw .unknownColumn(file: file, column: request.name,
                                     suggestions: closestNames(to: request.name, among: header), header: header)
            }
            guard matches.count == 1 else { throw .duplicateHeader(file: file, column: request.name) }
            let sink = ColumnSink(request: request, file: file)
            sinks[index] = sink
            requested.append(sink)
        }
        self.sinks = sinks
        self.requested = requested
    }

    func reserve(_ rows: Int) {
        for sink in requested { sink.reserve(rows) }
    }

    func table(file: String, header: [String], delimiter: Delimiter, lineOfRow: [Int], byteCount: Int) -> LeadTable {
        var numeric: [String: NumericColumn] = [:]
        var text: [String: TextColumn] = [:]
        var raw: [String: RawColumn] = [:]
        for sink in requested {
            switch sink.request {
            case let .numeric(name):
                numeric[name] = NumericColumn(name: name, values: sink.values, missing: sink.missing, missingCount: sink.missingCount)
            case let .text(name):
                text[name] = TextColumn(name: name, codes: sink.codes, levels: sink.interner.levels)
            case let .raw(name):
                raw[name] = RawColumn(name: name, values: sink.strings)
            }
        }
        return LeadTable(file: file, header: header, delimiter: delimiter, rowCount: lineOfRow.count,
                         lineOfRow: lineOfRow, byteCount: byteCount,
                         numericColumns: numeric, textColumns: text, rawColumns: raw)
    }
}

/// Typed storage filled cell by cell. A class so that appends mutate in place.
final class ColumnSink {
    let request: ColumnRequest
    let file: String
    private let kind: UInt8  // 0 numeric, 1 text, 2 raw
    var values: [Double] = []
    var missing: [Bool] = []
    var missingCount = 0
    var codes: [Int32] = []
    var interner = LevelInterner()
    var strings: [String] = []

    init(request: ColumnRequest, file: String) {
        self.request = request
        self.file = file
        switch request {
        case .numeric: kind = 0
        case .text: kind = 1
        case .raw: kind = 2
        }
    }

    func reserve(_ rows: Int) {
        switch kind {
        case 0:
            values.reserveCapacity(rows)
            missing.reserveCapacity(rows)
        case 1: codes.reserveCapacity(rows)
        default: strings.reserveCapacity(rows)
        }
    }

    @inline(__always)
    func take(_ field: RawField, cursor: CSVCursor, line: Int, scratch: inout [UInt8]) throws(LeadTableError) {
        switch kind {
        case 0:
            let parsed: Double?? = cursor.withCell(field, scratch: &scratch, trim: true) { pointer, count in
                count == 0 ? .some(nil) : parseDecimal(pointer, count).map { .some($0) }
            }
            guard let cell = parsed else {
                throw .notANumber(file: file, line: line, column: request.name, value: cellText(field, cursor))
            }
            if let value = cell {
                guard value.isFinite else {
                    throw .nonFiniteNumber(file: file, line: line, column: request.name, value: cellText(field, cursor))
                }
                values.append(value)
                missing.append(false)
            } else {
                values.append(0)
                missing.append(true)
                missingCount += 1
            }
        case 1:
            let code = cursor.withCell(field, scratch: &scratch, trim: true) { pointer, count in
                interner.code(pointer, count)
            }
            codes.append(code)
        default:
            strings.append(cellText(field, cursor, trim: false))
        }
    }

    private func cellText(_ field: RawField, _ cursor: CSVCursor, trim: Bool = true) -> String {
        var scratch: [UInt8] = []
        return cursor.withCell(field, scratch: &scratch, trim: trim) { pointer, count in
            String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
        }
    }
}
