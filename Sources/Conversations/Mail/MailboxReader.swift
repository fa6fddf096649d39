import Foundation

/// Reads an mbox mailbox one message at a time, never holding more than one message (plus a
/// read buffer) in memory, so a mailbox of any size is read in bounded memory.
///
/// Format: the mboxrd variant of the mbox family (RFC 4155 describes the family and its
/// "From " separator line; mboxrd is Rahul Dhesi's 1995 variant, used by most current tools):
/// each message starts with a line beginning `From ` (the envelope: sender and date, not part of
/// the message); inside a message, a body line that began with `>*From ` was written with one
/// more `>`, which the reader removes (`>From ` → `From `, `>>From ` → `>From `). The empty line
/// that separates a message from the next `From ` line is not part of the message. Line breaks
/// may be LF or CRLF.
///
/// Refused: a file whose first non-empty line is not a `From ` line (not a mailbox: line 1 is
/// named), and a message longer than ``maximumMessageBytes`` (named by its `From ` line).
package struct MailboxReader {
    /// 64 MiB: well above what mail providers accept for one message (25–50 MB after encoding).
    package var maximumMessageBytes = 64 << 20
    /// Bytes read from the file at a time.
    package var chunkBytes = 1 << 20

    package init() {}

    /// Calls `body` with each message's bytes and the file line its header starts on, in order.
    /// `body` may throw to stop early; its error is rethrown as is.
    package func forEachMessage(
        in url: URL, source: String, _ body: (_ message: ArraySlice<UInt8>, _ firstLine: Int) throws -> Void
    ) throws {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw ConversationError(source: source, "cannot open the mailbox for reading; check the path and its permissions")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var message: [UInt8] = []
        var messageLine = 0  // 0: no message started yet
        var line = 0
        var sawSeparator = false

        func finish() throws {
            guard messageLine > 0 else { return }
            var end = message.endIndex
            if end > 0, message[end - 1] == UInt8(ascii: "\n") {
                end -= 1
                if end > 0, message[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            }
            try body(message[0..<end], messageLine)
            message.removeAll(keepingCapacity: true)
        }

        func take(_ lineBytes: ArraySlice<UInt8>) throws {
            line += 1
            if lineBytes.starts(with: Self.fromPrefix) {
                try finish()
                sawSeparator = true
                messageLine = line + 1
                return
            }
            guard sawSeparator else {
                if lineBytes.allSatisfy({ $0 == 0x0A || $0 == 0x0D || $0 == 0x20 || $0 == 0x09 }) { return }
                throw ConversationError(source: source, line: line, column: 1, "not an mbox mailbox: a mailbox starts with a 'From ' line")
            }
            var text = lineBytes
            if text.first == UInt8(ascii: ">") {
                let afterQuotes = text.drop { $0 == UInt8(ascii: ">") }
                if afterQuotes.starts(with: Self.fromPrefix) { text = text.dropFirst() }
            }
            guard message.count + text.count <= maximumMessageBytes else {
                throw ConversationError(
                    source: source, line: messageLine - 1,
                    "the message starting here is longer than \(maximumMessageBytes >> 20) MiB; split the mailbox or remove its attachments")
            }
            message.append(contentsOf: text)
        }

        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: chunkBytes) ?? Data()
            } catch {
                throw ConversationError(source: source, line: line + 1, "the mailbox could not be read: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                try take(pending[start...newline])
                start = newline + 1
            }
            pending.removeSubrange(pending.startIndex..<start)
            if pending.count > maximumMessageBytes {
                throw ConversationError(source: source, line: line + 1, "a line longer than \(maximumMessageBytes >> 20) MiB; this is not a mailbox")
            }
        }
        if !pending.isEmpty { try take(pending[...]) }
        try finish()
        if !sawSeparator { throw ConversationError(source: source, line: 1, "the mailbox holds no message (no 'From ' line)") }
    }

    private static let fromPrefix = Array("From ".utf8)
}
