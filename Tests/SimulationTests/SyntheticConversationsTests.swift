import Conversations
import Foundation
import HandoffRules
import Simulation
import TestSupport
import Testing

/// The honest evaluation of issue 18: the playbook's trackers and the next-step patterns on 300
/// seeded synthetic leads (an e-mail and a call each) with planted facts, distractors, signatures
/// and quoted earlier messages. Thresholds: tracker precision and recall ≥ 0.98 for every measured
/// tracker, next-step recall ≥ 0.95 (with the planted date expression) and precision ≥ 0.95.
/// Templated text: this proves the parsing, stripping, stemming and patterns work end to end on the
/// shapes planted, not that they generalise to real conversations.
@Suite struct SyntheticConversationsTests {
    static let playbook = SharedData.projectRoot.appendingPathComponent("Datasets/playbook.yaml")

    @Test func sameSeedSameCorpus() {
        let a = SyntheticConversations.generate(leads: 20, seed: 7)
        let b = SyntheticConversations.generate(leads: 20, seed: 7)
        #expect(a.files.map(\.text) == b.files.map(\.text))
        #expect(a.truth == b.truth)
        #expect(SyntheticConversations.generate(leads: 20, seed: 8).files.map(\.text) != a.files.map(\.text))
    }

    @Test func trackerPrecisionAndRecallAndNextStepRecall() throws {
        let corpus = SyntheticConversations.generate(leads: 300, seed: 18)
        let trackers = try Playbook.load(url: Self.playbook).trackers
        var hitsByFile: [String: [TrackerHit]] = [:]
        var stepsByFile: [String: [(String, NextStepPatterns.Match)]] = [:]
        for (name, text) in corpus.files {
            let interaction =
                name.hasSuffix(".eml")
                ? try EmailMessage.parse(ArraySlice(Array(text.utf8)), source: name).interaction
                : try WebVTTTranscript.parse(text, source: name)
            #expect(interaction.warnings.isEmpty, "\(name): \(interaction.warnings)")
            hitsByFile[name] = TrackerMatcher.hits(in: interaction, trackers: trackers)
            stepsByFile[name] = interaction.utterances.flatMap { Sentences.split($0.text) }.compactMap { sentence in
                NextStepPatterns.match(sentence).map { (sentence, $0) }
            }
        }
        var report: [String] = []
        var plantedCounts: [String: Int] = [:]
        for tracker in corpus.truth.measuredTrackers {
            let planted = Set(corpus.truth.planted.filter { $0.tracker == tracker }.map { "\($0.file)|\($0.sentence)" })
            let found = Set(hitsByFile.flatMap { file, hits in hits.filter { $0.tracker == tracker }.map { "\(file)|\($0.quote)" } })
            let truePositives = planted.intersection(found).count
            let precision = found.isEmpty ? 1 : Double(truePositives) / Double(found.count)
            let recall = planted.isEmpty ? 1 : Double(truePositives) / Double(planted.count)
            plantedCounts[tracker] = planted.count
            report.append(
                String(format: "%@ precision %.3f recall %.3f (%d planted, %d found)", tracker, precision, recall, planted.count, found.count))
            #expect(precision >= 0.98, "\(tracker): false hits \(found.subtracting(planted).sorted().prefix(5))")
            #expect(recall >= 0.98, "\(tracker): missed \(planted.subtracting(found).sorted().prefix(5))")
            #expect(planted.count >= 30, "\(tracker): too few planted sentences to measure")
        }
        let plantedSteps = corpus.truth.planted.filter { $0.tracker == nil }
        let recalled = plantedSteps.filter { step in
            stepsByFile[step.file]?.contains { $0.0 == step.sentence && $0.1.when == step.when } == true
        }
        let allSteps = stepsByFile.values.reduce(0) { $0 + $1.count }
        let stepRecall = Double(recalled.count) / Double(plantedSteps.count)
        let stepPrecision = Double(recalled.count) / Double(max(1, allSteps))
        report.append(
            String(format: "next steps recall %.3f precision %.3f (%d planted, %d found)", stepRecall, stepPrecision, plantedSteps.count, allSteps))
        #expect(stepRecall >= 0.95, "missed: \(plantedSteps.filter { !recalled.contains($0) }.prefix(5))")
        #expect(stepPrecision >= 0.95)
        print("synthetic conversations (300 leads, seed 18): " + report.joined(separator: "; "))
        // The README quotes this run's sizes.
        let readme = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
            .replacingOccurrences(of: "\n", with: " ")
        let quoted =
            "competitors (\(plantedCounts["competitors"] ?? 0) planted), budget (\(plantedCounts["budget"] ?? 0)), security review (\(plantedCounts["security_review"] ?? 0)), pains (\(plantedCounts["pains"] ?? 0)) and objections (\(plantedCounts["objections"] ?? 0))"
        let quotesRun = readme.contains(quoted)
        #expect(quotesRun, "README.md should quote: \(quoted)")
        #expect(
            readme.contains("next-step recall and precision 1.000 (\(plantedSteps.count) planted"),
            "README.md should quote \(plantedSteps.count) next steps")
    }
}
