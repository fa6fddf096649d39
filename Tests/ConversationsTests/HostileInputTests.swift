import Foundation
import Testing

@testable import Conversations

@Suite("Hostile conversation input: clear errors naming the line, or a stated fallback")
struct HostileInputTests {
    private func parse(_ text: String) throws -> EmailMessage.Parsed {
        try EmailMessage.parse(ArraySlice(Array(text.utf8)), source: "bad.eml")
    }

    @Test("A file that is not a message, and a message without a From address, are refused by line")
    func refusals() throws {
        #expect(
            throws: ConversationError(source: "bad.eml", line: 1, "line 1 is not a header field ('Name: value'); this is not an RFC 5322 message")
        ) {
            try parse("hello there\nthis is text\n")
        }
        #expect(throws: ConversationError(source: "bad.eml", line: 1, "the message has no From: field; an e-mail is tied to a lead by its addresses"))
        {
            try parse("To: a@b.example\nSubject: x\n\nbody\n")
        }
        #expect(throws: ConversationError(source: "bad.eml", line: 2, "From: holds no address (name@domain)")) {
            try parse("Subject: x\nFrom: Just A Name\n\nbody\n")
        }
    }

    @Test("Broken MIME is read as far as it goes, each fallback stated")
    func brokenMIME() throws {
        let noClose = try parse(
            "From: a@b.example\nDate: Mon, 6 Oct 2025 10:00:00 +0000\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\nfirst part\n--XX\n\nsecond part, never closed\n"
        )
        #expect(noClose.interaction.utterances.map(\.text) == ["first part", "second part, never closed"])
        #expect(noClose.interaction.warnings == ["message: the closing delimiter '--XX--' is missing; the last part runs to the end"])

        let noBoundary = try parse("From: a@b.example\nContent-Type: multipart/mixed\n\nplain words\n")
        #expect(noBoundary.interaction.text == "plain words")
        #expect(
            noBoundary.interaction.warnings.contains("message: multipart/mixed without a usable boundary parameter; its body is read as plain text"))

        let noDelimiter = try parse("From: a@b.example\nContent-Type: multipart/mixed; boundary=\"zz\"\n\nno parts here\n")
        #expect(noDelimiter.interaction.text == "no parts here")
        #expect(noDelimiter.interaction.warnings.contains("message: no '--zz' delimiter line found; the body is read as plain text"))

        let badBase64 = try parse("From: a@b.example\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29ybG\n")
        #expect(badBase64.interaction.text == "hello worl")
        #expect(badBase64.interaction.warnings.contains("message: malformed base64 content, decoded as far as it goes"))

        let badQP = try parse("From: a@b.example\nContent-Transfer-Encoding: quoted-printable\n\nprice =ZZ 10=3D ten\n")
        #expect(badQP.interaction.text == "price =ZZ 10= ten")

        let unknownCharset = try parse("From: a@b.example\nContent-Type: text/plain; charset=x-klingon\n\ncaf\u{e9}\n")
        #expect(unknownCharset.interaction.text == "café")
        #expect(unknownCharset.interaction.warnings.contains("message: unknown charset 'x-klingon', read as UTF-8 (the bytes are valid UTF-8)"))

        var latin1Bytes = Array("From: a@b.example\nContent-Type: text/plain; charset=x-unknown\n\ncaf".utf8)
        latin1Bytes += [0xE9, 0x80, 0x0A]
        let latin = try EmailMessage.parse(ArraySlice(latin1Bytes), source: "bad.eml").interaction
        #expect(latin.text == "café€")
        #expect(latin.warnings.contains("message: unknown charset 'x-unknown', read as windows-1252"))

        let unknownEncoding = try parse("From: a@b.example\nContent-Transfer-Encoding: x-uuencode\n\nraw\n")
        #expect(unknownEncoding.interaction.text == "raw")
        #expect(
            unknownEncoding.interaction.warnings.contains("message: unknown Content-Transfer-Encoding 'x-uuencode'; the bytes are read as they are"))

        let badDate = try parse("From: a@b.example\nDate: yesterday-ish\n\nx\n")
        #expect(badDate.interaction.occurredAt == nil)
        #expect(badDate.interaction.warnings == ["Date: 'yesterday-ish' is not an RFC 5322 date; the message is stored without a time"])

        let missingSeparator = try parse("From: a@b.example\nDate: Mon, 6 Oct 2025 10:00:00 +0000\nthis line is body\n")
        #expect(missingSeparator.interaction.text == "this line is body")
        #expect(missingSeparator.interaction.warnings == ["line 3: no empty line after the header; the body starts there"])
    }

    @Test("A multipart nested 40 deep stops at the stated depth, without a crash")
    func deepNesting() throws {
        var text = "From: a@b.example\nContent-Type: multipart/mixed; boundary=b0\n\n"
        for level in 0..<40 { text += "--b\(level)\nContent-Type: multipart/mixed; boundary=b\(level + 1)\n\n" }
        text += "--b40\n\ndeep text\n"
        let parsed = try parse(text)
        #expect(parsed.interaction.warnings.contains { $0.contains("nested deeper than 32 levels") })
    }

    @Test("HTML-only mail is read as text, with a warning")
    func htmlOnly() throws {
        let parsed = try parse(
            "From: a@b.example\nDate: Mon, 6 Oct 2025 10:00:00 +0000\nContent-Type: text/html; charset=utf-8\n\n<html><head><style>p{}</style></head><body><p>Budget &amp; timing</p><p>Next&nbsp;step<br>Tuesday</p><!-- x --></body></html>\n"
        )
        #expect(parsed.interaction.utterances.map(\.text) == ["Budget & timing", "Next\u{a0}step Tuesday"])
        #expect(parsed.interaction.warnings == ["HTML-only message: read as text with its tags removed"])
    }
}
