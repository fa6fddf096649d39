import Foundation

/// A conversation file on disk and how it is read: `.eml` as one e-mail, `.mbox` (or `.mbx`) as a
/// mailbox streamed one message at a time, `.vtt` as WebVTT, anything else as `Speaker: text`
/// lines (call transcript, chat log or note, by `kind`). A file with another extension whose
/// first line is `WEBVTT`, `From ` or a mail header field (`Return-Path:`, `Received:`, `From:`,
/// `Date:`, `Message-ID:`, `MIME-Version:`, `Delivered-To:`) is read as that format.
package enum InteractionFile {
    package enum Format: String, Sendable, Equatable {
        case email, mailbox, webvtt, speakerLines = "speaker-lines"
    }

    /// Text files other than mailboxes are read whole; 32 MiB is far beyond any transcript.
    package static let maximumTextBytes = 32 << 20

    package static func format(of url: URL) -> Format {
        switch url.pathExtension.lowercased() {
        case "eml": return .email
        case "mbox", "mbx": return .mailbox
        case "vtt": return .webvtt
        default: break
        }
        guard let handle = try? FileHandle(forReadingFrom: url), let head = try? handle.read(upToCount: 256) else { return .speakerLines }
        try? handle.close()
        let firstLine = String(decoding: head.prefix { $0 != 0x0A }, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}\r"))
        if firstLine.hasPrefix("WEBVTT") { return .webvtt }
        if firstLine.hasPrefix("From ") { return .mailbox }
        let headers = ["return-path:", "received:", "from:", "date:", "message-id:", "mime-version:", "delivered-to:"]
        if headers.contains(where: { firstLine.lowercased().hasPrefix($0) }) { return .email }
        return .speakerLines
    }

    /// Calls `body` with each interaction in the file (one, except for a mailbox) and, for
    /// mailbox messages and e-mails, the line the message starts on. `kind` applies to transcripts
    /// and notes (default `call`); `author` names a note's writer.
    package static func read(
        _ url: URL, kind: InteractionKind? = nil, author: String? = nil, _ body: (CapturedInteraction, _ line: Int) throws -> Void
    ) throws {
        let source = url.path
        let format = format(of: url)
        if format == .mailbox {
            try MailboxReader().forEachMessage(in: url, source: source) { bytes, line in
                try body(try EmailMessage.parse(bytes, source: source, firstLine: line).interaction, line)
            }
            return
        }
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= maximumTextBytes else {
                throw ConversationError(
                    source: source,
                    "the file is \(size >> 20) MiB; a single e-mail or transcript is read up to \(maximumTextBytes >> 20) MiB (use an mbox for many messages)"
                )
            }
            data = try Data(contentsOf: url)
        } catch let error as ConversationError {
            throw error
        } catch {
            throw ConversationError(source: source, "cannot read the file: \(error.localizedDescription)")
        }
        switch format {
        case .email:
            try body(try EmailMessage.parse(ArraySlice(data), source: source).interaction, 1)
        case .webvtt:
            try body(try WebVTTTranscript.parse(try text(data, source: source), source: source, kind: kind ?? .call), 1)
        case .speakerLines, .mailbox:
            try body(try SpeakerLines.parse(try text(data, source: source), source: source, kind: kind ?? .call, author: author), 1)
        }
    }

    /// WebVTT is UTF-8 by definition (§4.1); plain transcripts are read as UTF-8 too. Invalid
    /// UTF-8 is refused with the line and column of the first bad byte.
    static func text(_ data: Data, source: String) throws(ConversationError) -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        var line = 1
        var column = 1
        let bytes = Array(data)
        var index = 0
        while index < bytes.count {
            let length = bytes[index] < 0x80 ? 1 : bytes[index] >= 0xF0 ? 4 : bytes[index] >= 0xE0 ? 3 : 2
            let end = min(bytes.count, index + length)
            if String(validating: bytes[index..<end], as: UTF8.self) == nil { break }
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index = end
        }
        throw ConversationError(source: source, line: line, column: column, "the text is not valid UTF-8; save the file as UTF-8")
    }
}
