import Foundation

/// A small RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF) for the import files,
/// which are a few thousand rows: each row as a dictionary keyed by the header.
struct CSVRows {
    let file: String
    let header: [String]
    let rows: [[String]]

    init(path: String) throws(AnalyticsError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadableFile(path: path, reason: "not UTF-8 text") }
        var records = CSVRows.parse(text)
        guard !records.isEmpty else { throw .unreadableFile(path: path, reason: "empty file") }
        self.file = path
        self.header = records.removeFirst()
        self.rows = records
    }

    /// Index of `column`, or a missing-column error naming the file.
    func column(_ column: String) throws(AnalyticsError) -> Int {
        guard let index = header.firstIndex(of: column) else { throw .missingColumn(file: file, column: column) }
        return index
    }

    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var quoted = false, afterQuote = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; afterQuote = true; pending = n }
                    } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote: quoted = true
            case ",": record.append(field); field = ""; afterQuote = false
            case "\r": continue
            case "\n":
                record.append(field); field = ""; afterQuote = false
                records.append(record); record = []
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}
