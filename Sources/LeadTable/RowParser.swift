/// Parses the data rows of one byte range into a ``ChunkColumns``.
enum RowParser {
    /// Rows from `start` (a row start) to `end` (just after a line end, or the end of the file).
    /// `firstLine` is the physical line at `start` (1 for a chunk whose lines are shifted later).
    static func parse(base: UnsafePointer<UInt8>, start: Int, end: Int, firstLine: Int, file: String,
                      delimiter: UInt8, header: [String], plan: ColumnPlan) throws(LeadTableError) -> ChunkColumns {
        var cursor = CSVCursor(base: base, end: end, file: file)
        cursor.position = start
        cursor.line = firstLine
        let expected = header.count
        var columns = ChunkColumns(numericCount: plan.numericCount, textCount: plan.textCount,
                                   rawCount: plan.rawCount, boundsCount: plan.boundsCount, capacity: cursor.estimatedRows(upTo: end))
        do throws(LeadTableError) {
            try plan.routes.withUnsafeBufferPointer { (routes: UnsafeBufferPointer<FieldRoute>) throws(LeadTableError) in
                var scratch: [UInt8] = []
                cursor.skipBlankLines()
                while !cursor.atEnd {
                    if columns.rows == columns.capacity { columns.grow() }
                    let row = columns.rows
                    let rowLine = cursor.line
                    var field = 0
                    var rowEnded = false
                    while !rowEnded {
                        let fieldLine = cursor.line
                        let cell = try cursor.nextField(delimiter: delimiter) { () -> String in
                            field < expected ? header[field] : "#\(field + 1)"
                        }
                        rowEnded = cell.endsRow
                        if field < expected {
                            let route = routes[field]
                            switch route.kind {
                            case .skip:
                                break
                            case .numeric:
                                let value = try number(cell, cursor: cursor, scratch: &scratch, line: fieldLine,
                                                       column: header[field])
                                columns.numberColumn(route.slot)[row] = value ?? 0
                                columns.missingColumn(route.slot)[row] = value == nil
                            case .text:
                                let code = cursor.withCell(cell, scratch: &scratch, trim: true) { pointer, count in
                                    columns.interners[route.slot].code(pointer, count)
                                }
                                columns.codeColumn(route.slot)[row] = code
                            case .raw:
                                columns.raw[route.slot].append(cursor.cellText(cell, trim: false))
                            case .bounds:
                                cursor.withCell(cell, scratch: &scratch, trim: false) { pointer, count in
                                    columns.offerBounds(route.slot, pointer, count)
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
                    cursor.skipBlankLines()
                }
            }
            columns.endLine = cursor.line
        } catch {
            columns.deallocate()
            throw error
        }
        return columns
    }

    /// A numeric cell: nil when empty (after trimming), else a finite Double.
    @inline(__always)
    private static func number(_ cell: RawField, cursor: CSVCursor, scratch: inout [UInt8], line: Int,
                               column: @autoclosure () -> String) throws(LeadTableError) -> Double? {
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

    /// A guess at the rows between here and `limit`, from the length of the line starting here.
    func estimatedRows(upTo limit: Int) -> Int {
        var probe = position
        while probe < limit, base[probe] != Self.lineFeed { probe += 1 }
        let length = max(1, probe - position + 1)
        return min((limit - position) / length + 16, 50_000_000)
    }
}
