import Foundation
import TestSupport
import Testing

@testable import Conversations

@Suite("E-mail messages: RFC 5322 headers, MIME, transfer encodings, charsets, replies")
struct EmailMessageTests {
    @Test("RFC 2046 §5.1.1's example: two parts, implicit and explicit text/plain; preamble and epilogue dropped")
    func rfc2046Example() throws {
        let parsed = try EmailMessage.parse(try ConversationFixtures.bytes("rfc2046-simple.eml"), source: "rfc2046-simple.eml")
        let leaves = parsed.root.textLeaves
        #expect(leaves.map(\.contentType) == ["text/plain", "text/plain"])
        #expect(leaves[0].text == "This is implicitly typed plain US-ASCII text.\nIt does NOT end with a linebreak.")
        #expect(leaves[1].text == "This is explicitly typed plain US-ASCII text.\nIt DOES end with a linebreak.\n")
        let interaction = parsed.interaction
        #expect(interaction.from == ["nsb@bellcore.com"])
        #expect(interaction.to == ["ned@innosoft.com"])
        // Sun, 21 Mar 1993 23:56:48 -0800 = 1993-03-22T07:56:48Z (date -u -d @732787008).
        #expect(interaction.occurredAt == 732_787_008)
        #expect(interaction.subject == "Sample message")
        #expect(!interaction.text.contains("preamble") && !interaction.text.contains("epilogue"))
        #expect(interaction.utterances.first?.speaker == "Nathaniel Borenstein")
    }

    @Test(
        "RFC 2047 §8's table: white space between adjacent encoded words is dropped, next to text kept",
        arguments: [
            ("(=?ISO-8859-1?Q?a?=)", "(a)"),
            ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=\t =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"),
            ("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=", "Keld Jørn Simonsen"),
            ("=?utf-8*en?B?w6lsw6hWZQ==?=", "élèVe"),
        ])
    func rfc2047Table(encoded: String, decoded: String) {
        #expect(EncodedWords.decode(encoded, context: "test").text == decoded)
    }

    @Test("RFC 2047 §8's header fields; ISO-8859-2 is outside the four charsets: read as UTF-8 with a warning")
    func rfc2047Headers() throws {
        let interaction = try EmailMessage.parse(try ConversationFixtures.bytes("rfc2047-headers.eml"), source: "x").interaction
        #expect(interaction.subject == "If you can read this you understand the example.")
        #expect(interaction.from == ["moore@cs.utk.edu"])
        #expect(interaction.to == ["keld@dkuug.dk", "pirard@vm1.ulg.ac.be"])
        #expect(interaction.utterances.first?.speaker == "Keith Moore")
        #expect(interaction.messageID == "rfc2047-example@cs.utk.edu")
        #expect(interaction.warnings.contains { $0.contains("unknown charset 'ISO-8859-2'") })
    }

    @Test("A nested reply: text/plain (quoted-printable) chosen over base64 HTML, attachment named, quote and signature stripped")
    func nestedReply() throws {
        let parsed = try EmailMessage.parse(try ConversationFixtures.bytes("nested-mime.eml"), source: "nested-mime.eml")
        let interaction = parsed.interaction
        #expect(parsed.root.attachmentNames == ["requirements.pdf"])
        #expect(interaction.subject == "Re: Follow-up – pricing")
        #expect(interaction.from == ["dana@northwind.example"])
        #expect(interaction.to == ["sam@baton.example", "jurgen@northwind.example"])
        #expect(
            interaction.utterances.map(\.text) == [
                "Hi Sam,",
                "Thanks for the call and the demo. Our budget is about 40k for this year, and the renewal with our current vendor is due on 15 March.",
                "I'll send the security questionnaire by Friday. Could we meet next Tuesday with our IT lead?",
                "Best, Dana",
            ])
        #expect(interaction.utterances.map(\.line) == [1, 3, 5, 7])
        #expect(Set(interaction.utterances.compactMap(\.speaker)) == ["Dana Reyes"])
        #expect(!interaction.text.contains("pricing is attached") && !interaction.text.contains("555"))
        #expect(interaction.warnings.isEmpty)
    }

    @Test("Latin-1 quoted-printable with soft line breaks, windows-1252 base64, an obsolete date without seconds")
    func charsets() throws {
        let latin = try EmailMessage.parse(try ConversationFixtures.bytes("latin1-qp.eml"), source: "x").interaction
        #expect(latin.subject == "Angebot prüfen")
        #expect(latin.utterances.first?.speaker == "Jürgen Müller")
        #expect(latin.utterances[1].text.hasPrefix("wir prüfen gerade Ihr Angebot. Die Geschäftsführung entscheidet im März über das Budget"))
        #expect(latin.utterances[1].text.hasSuffix("der umbrochen werden muss."))
        let windows = try EmailMessage.parse(try ConversationFixtures.bytes("windows1252-base64.eml"), source: "x").interaction
        #expect(windows.utterances.first?.text == "Sam – “the price” is €12,000 per year, which is over what we planned. Our CFO has to sign off.")
        // 9 Oct 2025 12:30 -0400 = 16:30:00Z.
        #expect(windows.occurredAt == 1_760_027_400)
    }

    @Test("Python's email package (policy.default) reads every fixture alike: addresses, subject, date, each text part")
    func crossCheckWithPythonEmail() async throws {
        let names = ["rfc2046-simple.eml", "rfc2047-headers.eml", "nested-mime.eml", "latin1-qp.eml", "windows1252-base64.eml"]
        let script = """
            import email, email.policy, email.utils, json, sys
            out = []
            for path in sys.argv[1:]:
                msg = email.message_from_bytes(open(path, 'rb').read(), policy=email.policy.default)
                addrs = lambda name: [a.lower() for _, a in email.utils.getaddresses([str(v) for v in msg.get_all(name, [])]) if '@' in a]
                leaves = []
                for part in msg.walk():
                    if part.get_content_maintype() == 'text' and part.get_content_disposition() != 'attachment':
                        try:
                            text = part.get_content()
                        except LookupError:
                            text = part.get_payload(decode=True).decode('utf-8')
                        leaves.append([part.get_content_type(), text.replace('\\r\\n', '\\n')])
                date = msg['date']
                out.append({'from': addrs('from'), 'to': addrs('to') + addrs('cc'), 'subject': str(msg['subject']),
                            'date': date.datetime.timestamp() if date is not None and date.datetime else None, 'leaves': leaves})
            print(json.dumps(out))
            """
        let paths = names.map { ConversationFixtures.url($0).path }
        let output = try await BlockingWork.run {
            let python = try PythonTooling.venv(packages: ["webvtt-py"])
            return try PythonTooling.run(python.path, ["-c", script] + paths)
        }
        try #require(output.status == 0, "\(output.output)")
        struct Reference: Decodable {
            var from: [String]
            var to: [String]
            var subject: String
            var date: Double?
            var leaves: [[String]]
        }
        let references = try JSONDecoder().decode([Reference].self, from: Data(output.output.utf8))
        for (name, reference) in zip(names, references) {
            let parsed = try EmailMessage.parse(try ConversationFixtures.bytes(name), source: name)
            #expect(parsed.interaction.from == reference.from, "\(name)")
            #expect(parsed.interaction.to == reference.to, "\(name)")
            #expect(parsed.interaction.subject == reference.subject, "\(name)")
            #expect(parsed.interaction.occurredAt == reference.date, "\(name)")
            #expect(parsed.root.textLeaves.map { [$0.contentType, $0.text] } == reference.leaves, "\(name)")
        }
    }
}
