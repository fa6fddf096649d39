import Foundation
import TestSupport
import Testing

@testable import Conversations

@Suite("Trackers, call measures, next steps, TextRank and the cited digest")
struct AnalysisTests {
    static let trackers = [
        Tracker(
            name: "competitors", category: "competitor", phrases: ["Acme CRM", "Globex"], say: "They named {phrase}: show the built-in routing."),
        Tracker(name: "security_review", category: "security_review", phrases: ["security review", "SOC 2", "security questionnaire"]),
        Tracker(name: "budget", category: "budget", phrases: ["budget"]),
        Tracker(name: "pricing", category: "pricing", phrases: ["price", "pricing"]),
        Tracker(name: "pains", category: "pain", phrases: ["lose leads", "go cold", "by hand", "without any context"]),
        Tracker(name: "objections", category: "objection", phrases: ["too expensive", "not a priority"]),
        Tracker(name: "integration", category: "integration", phrases: ["Salesforce integration", "integration with"]),
    ]

    static func call() throws -> CapturedInteraction {
        try SpeakerLines.parse(try ConversationFixtures.text("digest-call.txt"), source: "digest-call.txt", kind: .call)
    }

    static func side(_ speaker: String) -> ConversationSide? { speaker == "Sam Park" ? .rep : .prospect }

    @Test(
        "The light stemmer: plural and verb forms meet, unrelated words do not",
        arguments: [
            ("prices", "pricing"), ("integrate", "integration"), ("budgets", "budget"), ("companies", "company"), ("reviewed", "review"),
            ("competitors", "competitor"), ("Dana's", "dana"),
        ])
    func stems(a: String, b: String) {
        #expect(WordStems.stem(a.lowercased()) == WordStems.stem(b.lowercased()))
    }

    @Test("Stems that must stay apart, and word boundaries")
    func stemsApart() {
        #expect(WordStems.stem("class") == "class")
        #expect(WordStems.stem("security") != WordStems.stem("secure"))
        let interaction = CapturedInteraction(
            kind: .note, utterances: [Utterance(speaker: "x", line: 1, text: "Insecurity reviewed. SOC 22 is not SOC 2. Acme-CRM? ACME crm!")])
        let hits = TrackerMatcher.hits(in: interaction, trackers: Self.trackers)
        #expect(hits.map(\.phrase) == ["SOC 2", "Acme CRM"])
        #expect(hits.map(\.quote) == ["SOC 22 is not SOC 2.", "ACME crm!"])
    }

    @Test("Tracker hits carry the sentence, speaker, time and line")
    func trackerHits() throws {
        let hits = TrackerMatcher.hits(in: try Self.call(), trackers: Self.trackers)
        let acme = try #require(hits.first { $0.phrase == "Acme CRM" })
        #expect(acme.quote == "We also looked at Acme CRM last year, but their routing needed a services project.")
        #expect(acme.speaker == "Dana Reyes")
        #expect(acme.startMilliseconds == 50_000)
        #expect(acme.line == 6)
        #expect(hits.filter { $0.tracker == "security_review" }.map(\.line) == [9, 10, 14])
        #expect(hits.filter { $0.tracker == "pricing" }.map(\.line) == [12, 13])
    }

    @Test("Sentences: abbreviations, numbers and initials do not end one")
    func sentences() {
        #expect(
            Sentences.split("We met Dr. Smith at 3.5 p.m. yesterday. It went well! Did it? e.g. this stays.") == [
                "We met Dr. Smith at 3.5 p.m. yesterday.", "It went well!", "Did it? e.g. this stays.",
            ])
    }

    @Test("Call measures on the fixture, computed by hand from its times")
    func callMeasures() throws {
        let measures = CallMeasures.measure(try Self.call(), side: Self.side)
        // Rep utterances: 0–8, 31–38, 62–75, 98–106, 129–135, 135–144, 164–172 → 8+7+13+8+6+9+8 = 59 s.
        // Prospect: 8–31 (23), 38–62 (24), 75–98 (23), 106–129 (23), 144–164 (20), 172–… has no end: 0 → 113 s.
        #expect(measures.basis == .time)
        #expect(measures.repTalkMilliseconds == 59_000)
        #expect(measures.prospectTalkMilliseconds == 113_000)
        #expect(measures.repTalkRatio == 59.0 / 172.0)
        // Longest run of one speaker: Dana 00:38–01:02 (two utterances, 24 s) and 01:15–01:38 … 00:08–00:31 is 23 s.
        #expect(measures.longestMonologueMilliseconds == 24_000)
        #expect(measures.longestMonologueSpeaker == "Dana Reyes")
        #expect(measures.repQuestions == 2)
        #expect(measures.prospectQuestions == 0)
        // Switches: S|DD|S|DD|S|DDDD... → S→D, D→S, S→D, D→S, S→D, D→S, S→D, D→S, S→D, D→S, S→D = 11 over 00:00–02:52.
        let switches = try #require(measures.switchesPerMinute)
        #expect(abs(switches - 11.0 / (172.0 / 60.0)) < 1e-12)
        // Every rep turn starts when the prospect's last utterance ends (times are consecutive): gaps 0.
        #expect(measures.repResponses == 5)
        #expect(measures.medianRepResponseGapMilliseconds == 0)
    }

    @Test("Measures say nothing rather than zero when times or speakers are missing")
    func measuresWithoutTimes() throws {
        let untimed = try SpeakerLines.parse("Sam Park: Hello there?\nDana Reyes: Hi, we need help with routing leads.\n", source: "u", kind: .call)
        let measures = CallMeasures.measure(untimed, side: Self.side)
        #expect(measures.basis == .words)
        #expect(measures.repTalkRatio == 2.0 / 9.0)
        #expect(measures.longestMonologueMilliseconds == nil && measures.switchesPerMinute == nil && measures.medianRepResponseGapMilliseconds == nil)
        let anonymous = try SpeakerLines.parse("just words\n", source: "a", kind: .call)
        #expect(CallMeasures.measure(anonymous, side: Self.side).repTalkRatio == nil)
    }

    @Test(
        "Next-step patterns and date expressions",
        arguments: [
            ("I'll send a proposal with per-team pricing by Friday.", "commitment", "Friday"),
            ("Let's meet next Tuesday with your IT lead.", "proposal", "next Tuesday"),
            ("We will follow up on 15 March.", "commitment", "15 March"),
            ("The contract is due 2025-11-03.", "dated action", "2025-11-03"),
            ("Next steps: a demo in two weeks.", "next step", "in two weeks"),
            ("Could we schedule a call tomorrow?", "proposal", "tomorrow"),
        ])
    func nextSteps(sentence: String, rule: String, when: String) {
        #expect(NextStepPatterns.match(sentence) == NextStepPatterns.Match(rule: rule, when: when))
    }

    @Test("Sentences that are not next steps", arguments: ["We met on Friday.", "I will think about it.", "The price is high."])
    func notNextSteps(sentence: String) {
        #expect(NextStepPatterns.match(sentence) == nil)
    }

    @Test("TextRank picks the same sentences as sumy's TextRankSummarizer, with the same ranks")
    func textRankAgainstSumy() async throws {
        let sentences = try Self.call().utterances.flatMap { Sentences.split($0.text) }
        let terms = sentences.map(TextRank.terms)
        let payload = String(decoding: try JSONSerialization.data(withJSONObject: terms), as: UTF8.self)
        let script = """
            import json, sys
            from sumy.summarizers.text_rank import TextRankSummarizer
            class S:
                def __init__(self, words): self.words = words
            class D:
                def __init__(self, sentences): self.sentences = sentences
            doc = D([S(w) for w in json.loads(sys.argv[1])])
            summarizer = TextRankSummarizer()
            ranks = summarizer.rate_sentences(doc)
            best = summarizer(doc, 5)
            print(json.dumps({'ranks': [ranks[s] for s in doc.sentences], 'best': [doc.sentences.index(s) for s in best]}))
            """
        let output = try await BlockingWork.run {
            // sumy imports numpy for TextRank without declaring it (an optional extra of its package).
            let python = try PythonTooling.venv(packages: ["sumy", "numpy"])
            return try PythonTooling.run(python.path, ["-c", script, payload])
        }
        try #require(output.status == 0, "\(output.output)")
        struct Reference: Decodable {
            var ranks: [Double]
            var best: [Int]
        }
        let reference = try JSONDecoder().decode(Reference.self, from: Data(output.output.utf8))
        let ranks = TextRank.ranks(terms)
        #expect(ranks.count == reference.ranks.count)
        for (mine, theirs) in zip(ranks, reference.ranks) { #expect(abs(mine - theirs) < 1e-12) }
        #expect(TextRank.best(terms, count: 5) == reference.best)
    }

    @Test("The digest: every line a quoted sentence with its citation; lists from the trackers; next steps latest first")
    func digest() throws {
        let digest = ConversationDigest.build([.init(id: 7, interaction: try Self.call())], trackers: Self.trackers, side: Self.side)
        #expect(digest.summary.count == 5)
        let all = digest.summary + digest.nextSteps + digest.painPoints + digest.solutionsExplored + digest.objections
        let text = try Self.call().text
        for line in all {
            #expect(text.contains(line.text), "\(line.text) is quoted as said")
            #expect(line.citation.interactionID == 7)
        }
        #expect(
            digest.nextSteps.map(\.text) == [
                "Let's meet next Tuesday with your IT lead to walk through the security review.",
                "I'll send a proposal with per-team pricing by Friday.",
                "We can share our SOC 2 report and the security questionnaire answers.",
            ])
        #expect(digest.nextSteps.first?.citation.text == "interaction 7 (call), Sam Park, 00:02:15")
        #expect(
            digest.painPoints.map(\.text) == [
                "Our reps lose leads because routing is done by hand in a spreadsheet.",
                "The hand-off from marketing to sales takes two days on average, and hot leads go cold.",
                "Our reps complain that they get leads without any context about what the lead did.",
            ])
        #expect(
            digest.solutionsExplored.map(\.text) == [
                "We also looked at Acme CRM last year, but their routing needed a services project.",
                "The integration with our Salesforce instance is a must, the reps live in Salesforce.",
                "The Salesforce integration writes the hand-off back to the lead record.",
            ])
        #expect(digest.objections.map(\.text) == ["Honestly, the price you quoted feels too expensive for a team of twelve reps."])
        #expect(digest.trackerCounts["competitors"] == 1)
    }
}
