/// One cell of a CSV file Baton writes for people and other tools to open (RFC 4180): quoted when
/// it holds a comma, a quote, a line break or edge spaces, quotes doubled. Text that a spreadsheet
/// would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, OWASP's
/// "CSV injection" list) gets a leading `'`, unless it is a plain number such as `-3.5`.
package enum CSVCell {
    package static func text(_ value: String) -> String {
        var cell = value
        if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(cell) == nil {
            cell = "'" + cell
        }
        let needsQuotes =
            cell.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || cell.first == " " || cell.last == " "
        guard needsQuotes else { return cell }
        var quoted = "\""
        for character in cell {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// A line of cells, without its line ending.
    package static func line(_ values: [String]) -> String {
        values.map(text).joined(separator: ",")
    }
}
