import Foundation

/// An RFC 5322 message (a `.eml` file or one message of a mailbox) read into a
/// ``CapturedInteraction`` of kind `email`: `From:`, `To:`/`Cc:`, `Date:` (§3.6.1, §3.6.3),
/// `Subject:` and `Message-ID:` (RFC 2047 decoded), the MIME body (RFC 2045/2046) reduced to
/// its readable text (``MIMEPart/readableText``), quoted replies and the signature stripped
/// (``ReplyStripping``), one utterance per paragraph, all by the sender (its display name, else
/// its address).
///
/// Refused, with the source and line: a file whose first line is not a header field, a message
/// with no `From:` address. Everything else broken is read as far as it goes, with a warning:
/// a bad `Date:` (the interaction has no time then), unknown charsets and encodings, a missing
/// closing boundary, an HTML-only body.
package enum EmailMessage {
    /// The raw header fields and the MIME tree, for callers that need more than the interaction.
    package struct Parsed: Sendable {
        package var header: HeaderFields
        package var root: MIMEPart
        package var interaction: CapturedInteraction
    }

    /// `firstLine` is the line of `bytes`' first byte in its file (a mailbox message starts after
    /// its `From ` line), for errors.
    package static func parse(_ bytes: ArraySlice<UInt8>, source: String, firstLine: Int = 1) throws(ConversationError) -> Parsed {
        let header: HeaderFields
        switch HeaderFields.parse(bytes) {
        case .success(let fields): header = fields
        case .failure(let problem): throw ConversationError(source: source, line: firstLine + problem.line - 1, problem.message)
        }
        var warnings: [String] = []
        if let line = header.missingSeparatorLine {
            warnings.append("line \(firstLine + line - 1): no empty line after the header; the body starts there")
        }
        let fromField = header.value("from") ?? ""
        let from = MailAddresses.parse(fromField)
        guard let sender = from.first else {
            let line = header.fields.first { $0.name.lowercased() == "from" }.map { firstLine + $0.line - 1 } ?? firstLine
            throw ConversationError(
                source: source, line: line,
                fromField.isEmpty
                    ? "the message has no From: field; an e-mail is tied to a lead by its addresses" : "From: holds no address (name@domain)")
        }
        let to = (header.values("to") + header.values("cc")).flatMap(MailAddresses.parse)
        var occurredAt: Double?
        if let date = header.value("date") {
            occurredAt = MailDate.secondsSince1970(date)
            if occurredAt == nil { warnings.append("Date: '\(date.prefix(80))' is not an RFC 5322 date; the message is stored without a time") }
        } else {
            warnings.append("the message has no Date: field; it is stored without a time")
        }
        let subject = header.value("subject").map { value -> String in
            let (text, problems) = EncodedWords.decode(value, context: "Subject")
            warnings += problems
            return text
        }
        let messageID = header.value("message-id").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "<> \t")) }
        let root = MIMEPart.read(header: header, body: bytes[header.bodyStart...], path: "message", depth: 0, warnings: &warnings)
        let body = root.readableText ?? ""
        if root.readableText == nil { warnings.append("the message has no text part (only \(root.attachmentNames.joined(separator: ", ")))") }
        if !root.textLeaves.contains(where: { $0.contentType == "text/plain" }), root.textLeaves.contains(where: { $0.contentType == "text/html" }) {
            warnings.append("HTML-only message: read as text with its tags removed")
        }
        let speaker = MailAddresses.displayName(fromField) ?? sender
        let utterances = ReplyStripping.paragraphs(body).map { Utterance(speaker: speaker, line: $0.line, text: $0.text) }
        let interaction = CapturedInteraction(
            kind: .email, occurredAt: occurredAt, subject: subject, messageID: messageID, from: from, to: to, utterances: utterances,
            warnings: warnings)
        return Parsed(header: header, root: root, interaction: interaction)
    }
}
