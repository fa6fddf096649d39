/// Why a conversation source could not be read: the file (or input name), the 1-based line and,
/// where it helps, the column, what was wrong and what to do.
package struct ConversationError: Error, Sendable, Equatable, CustomStringConvertible {
    package var source: String
    package var line: Int?
    package var column: Int?
    package var message: String

    package init(source: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    package var description: String {
        var place = source
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(message)"
    }
}
