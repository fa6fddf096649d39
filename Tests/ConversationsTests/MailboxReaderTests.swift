import Foundation
import Testing

@testable import Conversations

@Suite("mbox mailboxes (mboxrd), streamed")
struct MailboxReaderTests {
    @Test("Messages split at From lines, >From unquoted one level, lines counted from the file")
    func mboxrd() throws {
        let folder = try ConversationFixtures.scratch()
        let file = folder.appendingPathComponent("inbox.mbox")
        let text = """
            From dana@northwind.example Tue Oct  7 16:42:10 2025
            From: Dana <dana@northwind.example>
            Date: Tue, 7 Oct 2025 16:42:10 +0000

            >From the start we wanted one tool.
            >>From here it is quoted.

            From sam@baton.example Tue Oct  7 17:00:00 2025
            From: Sam <sam@baton.example>
            To: dana@northwind.example

            Thanks!

            """
        try Data(text.utf8).write(to: file)
        var messages: [(CapturedInteraction, Int)] = []
        try InteractionFile.read(file) { interaction, line in messages.append((interaction, line)) }
        #expect(messages.map(\.1) == [2, 9])
        // The second line, `>From here…`, is unquoted to a line that still starts with `>`: a quote, which the reply stripping drops.
        #expect(messages[0].0.text == "From the start we wanted one tool.")
        var raw: [String] = []
        try MailboxReader().forEachMessage(in: file, source: file.path) { bytes, _ in raw.append(String(decoding: bytes, as: UTF8.self)) }
        #expect(raw[0].hasSuffix("\n\nFrom the start we wanted one tool.\n>From here it is quoted.\n"))
        #expect(messages[1].0.from == ["sam@baton.example"])
        #expect(messages[1].0.text == "Thanks!")
    }

    @Test("A file that is not a mailbox, and a message over the size bound, are refused by line")
    func refusals() throws {
        let folder = try ConversationFixtures.scratch()
        let file = folder.appendingPathComponent("not.mbox")
        try Data("\nSubject: hi\n".utf8).write(to: file)
        #expect(throws: ConversationError(source: file.path, line: 2, column: 1, "not an mbox mailbox: a mailbox starts with a 'From ' line")) {
            try MailboxReader().forEachMessage(in: file, source: file.path) { _, _ in }
        }
        let big = folder.appendingPathComponent("big.mbox")
        try Data(("From x\nFrom: a@b.example\n\nsmall\n\nFrom y\nFrom: a@b.example\n\n" + String(repeating: "0123456789\n", count: 2_000)).utf8)
            .write(to: big)
        var reader = MailboxReader()
        reader.maximumMessageBytes = 16 << 10
        reader.chunkBytes = 4_096
        var seen = 0
        #expect(
            throws: ConversationError(
                source: big.path, line: 6, "the message starting here is longer than 0 MiB; split the mailbox or remove its attachments")
        ) {
            try reader.forEachMessage(in: big, source: big.path) { _, _ in seen += 1 }
        }
        #expect(seen == 1)
    }

    @Test("A 50 MB mailbox is streamed message by message: the reader never holds more than one message and a chunk")
    func fiftyMegabytes() throws {
        let folder = try ConversationFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("big.mbox")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        let filler = String(repeating: "We talked about the budget and the timeline of the project.\n", count: 160)
        var written = 0
        var count = 0
        while written < 50_000_000 {
            let message =
                "From m\(count)@x Mon Oct  6 10:00:00 2025\nFrom: m\(count)@northwind.example\nDate: Mon, 6 Oct 2025 10:00:00 +0000\n\n\(filler)\n"
            handle.write(Data(message.utf8))
            written += message.utf8.count
            count += 1
        }
        try handle.close()
        var reader = MailboxReader()
        // Any message bigger than 16 KiB would fail: the reader keeps one message at a time.
        reader.maximumMessageBytes = 16 << 10
        var seen = 0
        var largest = 0
        try reader.forEachMessage(in: file, source: file.path) { bytes, _ in
            seen += 1
            largest = max(largest, bytes.count)
        }
        #expect(seen == count)
        #expect(largest < 16 << 10)
    }
}
