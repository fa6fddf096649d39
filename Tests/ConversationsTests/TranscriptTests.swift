import Foundation
import TestSupport
import Testing

@testable import Conversations

@Suite("Transcripts: WebVTT and Speaker: text lines, chat logs, notes")
struct TranscriptTests {
    @Test("The WebVTT spec's examples: voices, identifiers, NOTE blocks, settings, inline tags and entities")
    func webVTT() throws {
        let transcript = try WebVTTTranscript.parse(try ConversationFixtures.text("webvtt-spec.vtt"), source: "webvtt-spec.vtt")
        #expect(
            transcript.utterances.map(\.speaker) == [
                "Roger Bingham", "Roger Bingham", "Roger Bingham", "Neil deGrasse Tyson", "Roger Bingham", "Neil deGrasse Tyson",
            ])
        #expect(transcript.utterances.map(\.startMilliseconds) == [11_000, 13_000, 16_000, 30_000, 31_500, 3_600_000])
        #expect(transcript.utterances.map(\.endMilliseconds) == [13_000, 16_000, 18_000, 31_500, 34_000, 3_602_000])
        #expect(transcript.utterances[4].text == "Let's go to the Space Shuttle & back.")
        #expect(transcript.utterances[5].text == "It's a blue apple tree! And it has two lines.")
        #expect(transcript.utterances.map(\.line) == [10, 13, 16, 19, 22, 27])
        #expect(transcript.warnings.isEmpty)
    }

    @Test("webvtt-py reads the same cues: times, voices and text (entities decoded on its side, §4.2.2)")
    func webVTTCrossCheck() async throws {
        let path = ConversationFixtures.url("webvtt-spec.vtt").path
        let script = """
            import html, json, sys, webvtt
            print(json.dumps([[c.start_in_seconds * 1000 + int(c.start.split('.')[-1]) % 1000, c.voice, ' '.join(html.unescape(c.text).split())]
                              for c in webvtt.read(sys.argv[1])]))
            """
        let output = try await BlockingWork.run {
            let python = try PythonTooling.venv(packages: ["webvtt-py"])
            return try PythonTooling.run(python.path, ["-c", script, path])
        }
        try #require(output.status == 0, "\(output.output)")
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(output.output.utf8)) as? [[Any]])
        let transcript = try WebVTTTranscript.parse(try ConversationFixtures.text("webvtt-spec.vtt"), source: "x")
        #expect(reference.count == transcript.utterances.count)
        for (row, utterance) in zip(reference, transcript.utterances) {
            #expect((row[0] as? NSNumber)?.intValue == utterance.startMilliseconds)
            #expect(row[1] as? String == utterance.speaker)
            #expect(row[2] as? String == utterance.text)
        }
    }

    @Test(
        "Malformed WebVTT is refused by line and column",
        arguments: [
            ("Hello\n\n00:01.000 --> 00:02.000\nx\n", 1, 1, "not a WebVTT file: the first line must be 'WEBVTT'"),
            ("WEBVTT\n\n00:01.000 --> 00:02.00\nx\n", 3, 15, "'00:02.00' is not a WebVTT timestamp ([hh:]mm:ss.ttt, e.g. 00:01:02.500)"),
            ("WEBVTT\n\n00:61.000 --> 00:62.000\nx\n", 3, 1, "'00:61.000' is not a WebVTT timestamp ([hh:]mm:ss.ttt, e.g. 00:01:02.500)"),
            ("WEBVTT\n\n00:05.000 --> 00:02.000\nx\n", 3, 15, "the cue ends (00:02.000) before or when it starts (00:05.000)"),
            ("WEBVTTX\n", 1, 1, "not a WebVTT file: the first line must be 'WEBVTT'"),
        ])
    func malformedWebVTT(text: String, line: Int, column: Int, message: String) {
        #expect(throws: ConversationError(source: "t.vtt", line: line, column: column, message)) {
            try WebVTTTranscript.parse(text, source: "t.vtt")
        }
    }

    @Test("WebVTT without voices, and a stray block, are stated fallbacks")
    func webVTTWithoutVoices() throws {
        let transcript = try WebVTTTranscript.parse(
            "WEBVTT\n\n00:01.000 --> 00:02.000\nhello\n\nstray block\n\n00:03.000 --> 00:04.000\nbye\n", source: "t.vtt")
        #expect(transcript.utterances.map(\.text) == ["hello", "bye"])
        #expect(transcript.utterances.allSatisfy { $0.speaker == nil })
        #expect(
            transcript.warnings == [
                "line 6: a block without a cue timing ('-->') was skipped",
                "no cue names its speaker (<v Name>); the transcript is stored unattributed and per-speaker measures are not computed",
            ])
    }

    @Test("A Speaker: text call transcript with [hh:mm:ss] times and a wrapped line")
    func speakerLines() throws {
        let call = try SpeakerLines.parse(try ConversationFixtures.text("discovery-call.txt"), source: "call.txt", kind: .call)
        #expect(call.speakers == ["Sam Park", "Dana Reyes"])
        #expect(call.utterances.count == 7)
        #expect(call.utterances[4].text == "Badly. Marketing sends a list every Monday. The list is often stale by Wednesday.")
        #expect(call.utterances.map(\.startMilliseconds) == [0, 6_000, 15_000, 21_000, 27_000, 40_000, 49_000])
        #expect(call.utterances.map(\.endMilliseconds) == [6_000, 15_000, 21_000, 27_000, 40_000, 49_000, nil])
        #expect(call.utterances.map(\.line) == [1, 2, 3, 4, 5, 7, 8])
        #expect(call.warnings.isEmpty)
    }

    @Test("A chat log with absolute times: offsets from the first line, which is the chat's time")
    func chatLog() throws {
        let chat = try SpeakerLines.parse(
            "[2025-10-01 10:02] Dana: Can we move the call?\n[2025-10-01 10:03:30] Sam: Sure, Thursday works.\n2025-10-01T10:05:00Z Dana: Great\n",
            source: "chat.txt", kind: .chat)
        #expect(chat.occurredAt == 1_759_312_920)
        #expect(chat.utterances.map(\.startMilliseconds) == [0, 90_000, 180_000])
        #expect(chat.utterances.map(\.speaker) == ["Dana", "Sam", "Dana"])
    }

    @Test("No speakers and no times: kept unattributed by paragraph, both fallbacks stated; times going backwards are refused")
    func withoutSpeakersOrTimes() throws {
        let plain = try SpeakerLines.parse("we talked about the budget\nand the timeline\n\nthen pricing\n", source: "p.txt", kind: .call)
        #expect(plain.utterances.map(\.text) == ["we talked about the budget and the timeline", "then pricing"])
        #expect(plain.utterances.allSatisfy { $0.speaker == nil })
        #expect(
            plain.warnings == [
                "no 'Speaker: text' line found; stored unattributed, and per-speaker measures are not computed",
                "no line carries a time; measures that need times (monologues, gaps, switches per minute) are not computed",
            ])
        #expect(
            throws: ConversationError(
                source: "b.txt", line: 2, column: 1, "the time goes backwards (earlier than the line before); lines must be in time order")
        ) {
            try SpeakerLines.parse("[00:10] A: one\n[00:05] B: two\n", source: "b.txt", kind: .call)
        }
    }

    @Test("A typed note is its author's, paragraph by paragraph; 'Label:' lines are not speakers there")
    func note() throws {
        let note = try SpeakerLines.parse("Budget: 40k confirmed.\n\nNext step: demo on Tuesday.\n", source: "n.txt", kind: .note, author: "sam")
        #expect(note.utterances.map(\.speaker) == ["sam", "sam"])
        #expect(note.utterances.map(\.text) == ["Budget: 40k confirmed.", "Next step: demo on Tuesday."])
        #expect(note.warnings.isEmpty)
    }

    @Test("Invalid UTF-8 in a transcript is refused by line and column")
    func invalidUTF8() throws {
        let folder = try ConversationFixtures.scratch()
        let file = folder.appendingPathComponent("call.txt")
        try Data(Array("A: ok\nB: caf".utf8) + [0xE9, 0x0A]).write(to: file)
        #expect(throws: ConversationError(source: file.path, line: 2, column: 7, "the text is not valid UTF-8; save the file as UTF-8")) {
            try InteractionFile.read(file) { _, _ in }
        }
    }
}
