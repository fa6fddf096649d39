import BatonSupport
import Foundation

/// Parses the data rows of one byte range into a ``ChunkColumns``.
///
/// The hot loop: unquoted field ends come from ``FieldScanner`` (eight bytes per step), numbers
/// are parsed straight from the file's bytes, text cells go to the column's interner, and
/// skipped columns cost only their field end. Quoted fields and every error go through
/// ``CSVCursor`` as before, so messages name the same line and column.
enum RowParser {
    /// Rows from `start` (a row start) to `end` (just after a line end, or the end of the file).
    /// `firstLine` is the physical line at `start` (1 for a chunk whose lines are shifted later).
    /// With `table`, the rows (as many as counted) are written at row `offset` of its columns.
    static func parse(
        base: UnsafePointer<UInt8>, start: Int, end: Int, firstLine: Int, file: String,
        delimiter: UInt8, header: [String], plan: ColumnPlan,
        table: (storage: TableStorage, offset: Int, rows: Int)? = nil
    ) throws(LeadTableError) -> ChunkColumns {
        var cursor = CSVCursor(base: base, end: end, file: file)
        cursor.position = start
        cursor.line = firstLine
        let expected = header.count
        var columns: ChunkColumns
        if let table {
            columns = ChunkColumns(
                numericCount: plan.numericCount, textCount: plan.textCount, rawCount: plan.rawCount,
                boundsCount: plan.boundsCount, table: table.storage, offset: table.offset, rows: table.rows)
        } else {
            columns = ChunkColumns(
                numericCount: plan.numericCount, textCount: plan.textCount,
                rawCount: plan.rawCount, boundsCount: plan.boundsCount, capacity: cursor.estimatedRows(upTo: end))
        }
        do throws(LeadTableError) {
            try plan.routes.withUnsafeBufferPointer { (routes: UnsafeBufferPointer<FieldRoute>) throws(LeadTableError) in
                var scratch: [UInt8] = []
                cursor.skipBlankLines()
                var scanner = FieldScanner(base: base, end: end, delimiter: delimiter, at: cursor.position)
                while !cursor.atEnd {
                    if columns.rows == columns.capacity { columns.grow() }
                    let row = columns.rows
                    let rowLine = cursor.line
                    var field = 0
                    var rowEnded = false
                    while !rowEnded {
                        let fieldLine = cursor.line
                        let cell: RawField
                        let fieldStart = cursor.position
                        if fieldStart < end, base[fieldStart] == CSVCursor.quote {
                            cell = try cursor.nextField(delimiter: delimiter) { () -> String in
                                field < expected ? header[field] : "#\(field + 1)"
                            }
                            scanner.restart(at: cursor.position)
                        } else {
                            let stop = scanner.next()
                            if stop < end, base[stop] == delimiter {
                                cell = RawField(start: fieldStart, count: stop &- fieldStart, escaped: false, endsRow: false)
                                cursor.position = stop &+ 1
                            } else {
                                cell = RawField(start: fieldStart, count: stop &- fieldStart, escaped: false, endsRow: true)
                                cursor.position = stop
                                cursor.consumeFieldEnd(delimiter: delimiter)
                                if cursor.position &- stop > 1 { scanner.restart(at: cursor.position) }  // CRLF
                            }
                        }
                        rowEnded = cell.endsRow
                        if field < expected {
                            let route = routes[field]
                            switch route.kind {
                            case .skip:
                                break
                            case .numeric:
                                if !cell.escaped, let value = plainInteger(base + cell.start, cell.count) {
                                    columns.numberColumn(route.slot)[row] = value
                                    columns.missingColumn(route.slot)[row] = false
                                    break
                                }
                                let value = try number(
                                    cell, cursor: cursor, scratch: &scratch, line: fieldLine,
                                    column: header[field])
                                columns.numberColumn(route.slot)[row] = value ?? 0
                                columns.missingColumn(route.slot)[row] = value == nil
                            case .text:
                                let code: Int32
                                if !cell.escaped {
                                    var start = cell.start
                                    var count = cell.count
                                    CSVCursor.trim(base, &start, &count)
                                    code = columns.interners[route.slot].code(base + start, count, readable: end &- start)
                                } else {
                                    code = cursor.withCell(cell, scratch: &scratch, trim: true) { pointer, count in
                                        columns.interners[route.slot].code(pointer, count, readable: count)
                                    }
                                }
                                columns.codeColumn(route.slot)[row] = code
                            case .raw:
                                columns.raw[route.slot].append(cursor.cellText(cell, trim: false))
                            case .bounds:
                                if !cell.escaped {
                                    columns.offerBounds(route.slot, base + cell.start, cell.count, stable: true)
                                } else {
                                    cursor.withCell(cell, scratch: &scratch, trim: false) { pointer, count in
                                        columns.offerBounds(route.slot, pointer, count, stable: false)
                                    }
                                }
                            }
                        }
                        field += 1
                    }
                    guard field == expected else {
                        throw .wrongFieldCount(file: file, line: rowLine, found: field, expected: expected)
                    }
                    columns.lines[row] = rowLine
                    columns.rows += 1
                    let rowEnd = cursor.position
                    cursor.skipBlankLines()
                    if cursor.position != rowEnd { scanner.restart(at: cursor.position) }
                }
            }
            columns.endLine = cursor.line
        } catch {
            columns.deallocate()
            throw error
        }
        return columns
    }

    /// The value of a cell of 1–19 ASCII digits and nothing else (the usual count), or nil.
    /// The digits fit a UInt64 exactly and its conversion to Double is correctly rounded, so
    /// the result is the one `Double(String)` gives.
    @inline(__always)
    private static func plainInteger(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        // At most 15 digits: below 10^15 (``largestLeadNumber``), so the fast path never skips the bound.
        guard count > 0, count <= 15 else { return nil }
        var value: UInt64 = 0
        var k = 0
        while k < count {
            let digit = pointer[k] &- 0x30
            if digit >= 10 { return nil }
            value = value &* 10 &+ UInt64(digit)
            k &+= 1
        }
        return Double(value)
    }

    /// A numeric cell: nil when empty (after trimming), else a finite Double.
    @inline(__always)
    private static func number(
        _ cell: RawField, cursor: CSVCursor, scratch: inout [UInt8], line: Int,
        column: @autoclosure () -> String
    ) throws(LeadTableError) -> Double? {
        let parsed: Double??
        if !cell.escaped {
            var start = cell.start
            var count = cell.count
            CSVCursor.trim(cursor.base, &start, &count)
            parsed = count == 0 ? .some(nil) : parseDecimal(cursor.base + start, count).map { .some($0) }
        } else {
            parsed = cursor.withCell(cell, scratch: &scratch, trim: true) { pointer, count in
                count == 0 ? .some(nil) : parseDecimal(pointer, count).map { .some($0) }
            }
        }
        guard let value = parsed else {
            throw .notANumber(file: cursor.file, line: line, column: column(), value: cursor.cellText(cell))
        }
        if let number = value, !number.isFinite {
            throw .nonFiniteNumber(file: cursor.file, line: line, column: column(), value: cursor.cellText(cell))
        }
        // The same bound as the scorer's (issue 20): a model fitted on 1e300 would score nothing sane.
        if let number = value, abs(number) > largestLeadNumber {
            throw .numberTooLarge(file: cursor.file, line: line, column: column(), value: cursor.cellText(cell))
        }
        return value
    }
}

extension CSVCursor {
    /// The cell's text (quotes undoubled), trimmed unless `trim` is false.
    func cellText(_ field: RawField, trim: Bool = true) -> String {
        var scratch: [UInt8] = []
        return withCell(field, scratch: &scratch, trim: trim) { pointer, count in
            String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
        }
    }

    /// A guess at the rows between here and `limit`, from the mean length of the first (up to)
    /// 64 lines, with a quarter to spare: untouched capacity costs address space, not memory,
    /// while growing copies every column.
    func estimatedRows(upTo limit: Int) -> Int {
        var probe = position
        var lines = 0
        while lines < 64, probe < limit {
            guard let found = memchr(base + probe, Int32(Self.lineFeed), limit - probe) else {
                probe = limit
                break
            }
            probe = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base + 1
            lines += 1
        }
        let length = max(1, (probe - position) / max(lines, 1))
        return min((limit - position) / length * 5 / 4 + 16, 50_000_000)
    }
}
