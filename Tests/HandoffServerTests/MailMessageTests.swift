import Foundation
import TestSupport
import Testing

@testable import HandoffServer

/// Issue 20's SMTP header injection: a lead id with CR/LF reached the alert subject, and against a
/// loopback relay the mail carried an injected `Bcc:`, a premature `.` ended DATA and the relay
/// received smuggled `MAIL FROM` / `RCPT TO`. The checks below are on the wire text, and then
/// against an independent SMTP server (Python's aiosmtpd) and mail parser (`email`, policy default).
@Suite struct MailMessageTests {
    static let hostileSubject = "[Baton] sla-breach: lead L1\r\nBcc: evil@attacker.example\r\n\r\n.\r\nMAIL FROM:<evil@attacker.example>"
    static let hostileBody =
        "Lead L1 breached.\r\n.\r\nMAIL FROM:<evil@attacker.example>\r\nRCPT TO:<evil@attacker.example>\r\nDATA\r\n"
        + ".starts with a dot\rbare CR\nbare LF, trailing space \n= sign, Zoë, ünïcödé, "
        + String(repeating: "long line ", count: 30) + "\u{0}NUL"

    @Test func headersStayHeadersAndTheBodyCannotEndData() throws {
        let message = try MailMessage(
            from: "baton@example.com", to: "ana@example.com", subject: Self.hostileSubject, body: Self.hostileBody,
            date: Date(timeIntervalSince1970: 1_764_813_900))
        let payload = message.dataPayload
        let lines = payload.components(separatedBy: "\r\n")
        let headerEnd = try #require(lines.firstIndex(of: ""))
        let headers = lines[..<headerEnd]
        #expect(
            headers.filter { !$0.hasPrefix(" ") }.map { $0.split(separator: ":")[0] } == [
                "From", "To", "Subject", "Date", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
            ])
        #expect(headers.contains("Date: Thu, 04 Dec 2025 02:05:00 +0000"))
        // Exactly one end of DATA, at the end; every line is 7-bit and at most 76 characters.
        #expect(payload.components(separatedBy: "\r\n.\r\n").count == 2 && payload.hasSuffix("\r\n.\r\n"))
        #expect(!payload.utf8.contains { $0 >= 0x80 || $0 == 0 })
        #expect(
            !payload.replacingOccurrences(of: "\r\n", with: "").contains("\r") && !payload.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(lines.dropFirst(headerEnd).allSatisfy { $0.count <= 77 })  // 76 + a dot-stuffing dot
        // The body's own "." line is stuffed to "..", so the dialogue lines after it stay body text.
        #expect(!headers.contains { $0.hasPrefix("Bcc") || $0.hasPrefix("MAIL FROM") } && lines.filter { $0 == "." }.count == 1)
        #expect(lines.contains(".."))
        // Plain ASCII subjects stay readable on the wire.
        let plain = try MailMessage(from: "baton@example.com", to: "ana@example.com", subject: "[Baton] sla-breach: lead L1", body: "hi")
        #expect(plain.dataPayload.contains("\r\nSubject: [Baton] sla-breach: lead L1\r\n"))
    }

    @Test(arguments: [
        "ana@example.com\r\nRCPT TO:<evil@x.example>", "ana", "<ana@example.com>", "ana@@example.com", "a b@example.com", "ana@exa mple.com", "",
        ".ana@example.com", "ana@example..com",
    ])
    func addressesThatWouldReachTheSMTPDialogueAreRefused(address: String) {
        #expect(throws: MailAddressError.self) { try MailMessage(from: "baton@example.com", to: address, subject: "s", body: "b") }
        #expect(throws: MailAddressError.self) { try MailMessage(from: address, to: "ana@example.com", subject: "s", body: "b") }
    }

    @Test func plainAddressesAreAccepted() throws {
        for address in ["ana@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.com", "ops@[127.0.0.1]"] {
            _ = try MailMessage(from: address, to: address, subject: "s", body: "b")
        }
    }

    /// The same hostile mail through a real SMTP server library and a real mail parser, both
    /// written by others: one message, one envelope recipient, the subject and body as sent.
    @Test func anIndependentServerAndParserReadWhatWasMeant() async throws {
        let python = try await BlockingWork.run { try PythonTooling.venv(packages: ["aiosmtpd"]) }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("baton-smtp-\(UUID().uuidString).py")
        try Self.receiver.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let reader = out.fileHandleForReading
        // The receiver prints its port first, then, after two messages, the JSON (blocking reads off the pool).
        let firstLine = try await BlockingWork.run { () throws -> String in
            var buffer = Data()
            while !buffer.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                buffer += chunk
            }
            return String(decoding: buffer, as: UTF8.self)
        }
        let port = try #require(Int(firstLine.trimmingCharacters(in: .whitespacesAndNewlines)), "no port from the receiver: \(firstLine)")
        let unicodeSubject = "[Baton] sla-breach: lead Zoë-Ünïcödé-" + String(repeating: "x", count: 80) + "\r\nBcc: evil@attacker.example"
        let client = SMTPClient(host: "127.0.0.1", port: port, from: "baton@example.com")
        try await client.send(to: "ana@example.com", subject: Self.hostileSubject, body: Self.hostileBody)
        try await client.send(to: "ana@example.com", subject: unicodeSubject, body: "short")
        let buffer = try await BlockingWork.run { () -> Data in
            let data = reader.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        struct Received: Decodable {
            let mail_from: String
            let rcpt_tos: [String]
            let header_names: [String]
            let subject: String
            let body: String
            let defects: [String]
        }
        let received = try JSONDecoder().decode([Received].self, from: buffer)
        try #require(received.count == 2, "the relay received \(received.count) messages")
        for (mail, subject) in zip(received, [Self.hostileSubject, unicodeSubject]) {
            #expect(mail.mail_from == "baton@example.com" && mail.rcpt_tos == ["ana@example.com"])
            #expect(
                mail.header_names.map { $0.lowercased() } == [
                    "from", "to", "subject", "date", "mime-version", "content-type", "content-transfer-encoding",
                ])
            #expect(mail.defects.isEmpty)
            #expect(mail.subject == subject.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " "))
        }
        let expectedBody = Self.hostileBody.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        // The parser keeps the wire's CRLF line ends; the text is the same.
        #expect(received[0].body.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines) == expectedBody)
        #expect(received[1].body.trimmingCharacters(in: .newlines) == "short")
    }

    /// aiosmtpd on a free loopback port: prints the port, takes two messages, prints them as JSON.
    static let receiver = #"""
        import asyncio, email, email.policy, json, socket, sys, time
        from aiosmtpd.controller import Controller

        received = []

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                received.append(envelope)
                return "250 OK"

        s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        print(port, flush=True)
        deadline = time.time() + 300
        while len(received) < 2 and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # a smuggled third message would arrive now
        controller.stop()
        out = []
        for envelope in received:
            message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            out.append({
                "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                "header_names": list(message.keys()), "subject": str(message["subject"]),
                "body": message.get_content(), "defects": [type(d).__name__ for d in message.defects],
            })
        print(json.dumps(out), flush=True)
        """#
}
