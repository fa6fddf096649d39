/// The data rows of one file cut into byte ranges at row starts (``ChunkSplitter``), with what
/// parsing any one of them needs; the ranges are parsed concurrently, each on its own.
struct RowRanges: @unchecked Sendable {  // `base` points at bytes that outlive every parse
    let base: UnsafePointer<UInt8>
    let ranges: [Range<Int>]
    /// The physical line at the first range's start.
    let firstLine: Int
    let file: String
    let delimiter: UInt8
    let header: [String]
    let plan: ColumnPlan

    var count: Int { ranges.count }

    /// Parses range `index`. Its lines count from ``firstLine`` for the first range and from 1
    /// for any other (the merge shifts them). With `table`, the rows are written in its columns.
    func parse(_ index: Int, table: (storage: TableStorage, offset: Int, rows: Int)? = nil) throws(LeadTableError) -> ChunkColumns {
        try RowParser.parse(
            base: base, start: ranges[index].lowerBound, end: ranges[index].upperBound, firstLine: index == 0 ? firstLine : 1,
            file: file, delimiter: delimiter, header: header, plan: plan, table: table)
    }

    /// The rows of range `index` when ``RowCounter`` counts them exactly.
    func exactRowCount(_ index: Int) -> Int? { RowCounter.rows(base: base, range: ranges[index]) }
}
