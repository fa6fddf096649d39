import ArgumentParser
import BatonSupport
import Foundation
import HandoffRules
import LabTraining
import Recalibration
import ScoringModelFormat
import Simulation

struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write seeded synthetic B2B leads from a known logistic model, with the truth.",
        discussion: """
            Firmographics, engagement counts, created_at over eight quarters (2023–2024, or --quarters) and the outcome \
            `won`. Also writes FILE's truth (true coefficients per term) as <FILE>.truth.json and the \
            matching spec as <FILE>.spec.yaml unless told otherwise.

            Event-log mode (--events FILE.jsonl --model MODEL.json --playbook FILE): closed-loop hand-off \
            traffic from the same leads. Marketing events (lead_created, engagement over 21 days matching each \
            lead's counts) are run through the real hand-off engine on a scratch store; when the engine hands a \
            lead to a rep, that simulated rep reacts — first touch mostly within the policy's business-hour \
            target, a late tail that breaches and escalates, some leads ignored until reassigned — then further \
            attempts, dispositions patterned by fit, opportunities and won/lost from the true outcome, with a \
            planted speed effect (a buyer touched late is won with probability 0.5). About 2% of events are \
            delivered twice. The log replays (`baton handoff replay` with the same model and playbook) into \
            the same store; its truth summary goes to <FILE without .jsonl>.truth.json.
            """)

    @Option(help: "Number of leads.") var rows: Int
    @Option(help: "Seed (same seed, same bytes).") var seed: UInt64
    @Option(help: "CSV to write.") var out: String?
    @Option(help: "Event log (JSONL) to write: closed-loop hand-off traffic from the same leads (needs --model and --playbook).") var events: String?
    @Option(help: "Weight file the simulated engine scores with (event-log mode; replay with the same one).") var model: String?
    @Option(help: "Playbook the simulated engine qualifies, routes and times SLAs with (event-log mode); its keys: \(Playbook.formatsReference).")
    var playbook: String?
    @Option(help: "Where to write the event log's truth (default <events without .jsonl>.truth.json).") var eventsTruth: String?
    @Option(help: "Where to write the truth JSON (default <out without .csv>.truth.json).") var truth: String?
    @Option(help: "Where to write the matching spec (default <out without .csv>.spec.yaml).") var spec: String?
    @Option(help: "Calendar quarters of history from 2023-01-01 (8 = 2023–2024).") var quarters = 8
    @Option(
        help: ArgumentHelp(
            "Drift the market from this date (YYYY-MM-DD, UTC) on: lead-source and company-size mix shift and some true effects change.",
            discussion: "The scenario is fixed and recorded in the truth JSON under `drift`."))
    var driftAfter: String?
    @Flag(help: "No progress line on standard error while simulating (it is shown only on a terminal anyway).") var quiet = false
    @Flag(
        help: ArgumentHelp(
            "Event-log mode: the leads are people at companies (name, e-mail, company, website), some arriving twice; the truth says who is who.",
            discussion: "The truth JSON gains `identities`: each lead's person, company and the earlier lead a second form fill repeats."))
    var accounts = false
    @Option(help: "With --accounts: mean contacts per company (≥ 1).") var contactsPerAccount = 2.5
    @Option(help: "With --accounts: share of leads that are a second form fill of an earlier person (0…0.5).") var duplicateRate = 0.05
    @Option(help: "With --accounts: share of people writing from free mail such as gmail.com (0…1).") var freeMailShare = 0.15
    @Option(
        help: "Folder to write --rows synthetic e-mails (.eml) and call transcripts (.vtt) into, with planted facts and truth.json (must not exist).")
    var conversations: String?

    func validate() throws {
        guard rows > 0 else { throw ValidationError("--rows must be at least 1 (got \(rows))") }
        guard quarters >= 1 && quarters <= 400 else { throw ValidationError("--quarters must be 1…400 (got \(quarters))") }
        if let driftAfter, LeadTime.day(driftAfter) == nil {
            throw ValidationError("--drift-after must be a date YYYY-MM-DD (got \(driftAfter))")
        }
        guard out != nil || events != nil || conversations != nil else {
            throw ValidationError("give --out FILE.csv (leads), --events FILE.jsonl (event log), --conversations DIR, or several")
        }
        if accounts {
            guard events != nil else { throw ValidationError("--accounts shapes the event log; give --events FILE.jsonl too") }
            if let problem = identityOptions.problem { throw ValidationError("--accounts: \(problem)") }
        }
        if conversations != nil, rows > 100_000 { throw ValidationError("--conversations writes two files per row; give --rows 1…100000") }
        if events != nil && (model == nil || playbook == nil) {
            throw ValidationError(
                "--events needs --model MODEL.json and --playbook FILE: the sales side reacts to what the engine does with the leads")
        }
    }

    func run() async throws {
        if let conversations { writeConversations(conversations) }
        if let events { try await writeEvents(events) }
        guard let out else { return }
        let stem = out.hasSuffix(".csv") ? String(out.dropLast(4)) : out
        let truthPath = truth ?? stem + ".truth.json"
        let specPath = spec ?? stem + ".spec.yaml"
        runLab { () throws(LabError) in
            do {
                let options = SyntheticOptions(quarters: quarters, driftStartDay: driftAfter.flatMap(LeadTime.day))
                let result = try SyntheticLeads.write(rows: rows, seed: seed, options: options, to: URL(fileURLWithPath: out))
                let tree = try CanonicalJSON.encode(result)
                try Data(CanonicalJSON.prettyBytes(tree)).write(to: URL(fileURLWithPath: truthPath), options: .atomic)
                try Data(SyntheticLeads.specYAML.utf8).write(to: URL(fileURLWithPath: specPath), options: .atomic)
                print("wrote \(rows) leads to \(out) (won rate \(String(format: "%.4f", result.wonRate))), truth \(truthPath), spec \(specPath)")
            } catch {
                throw .output(path: out, detail: "\(error)")
            }
        }
    }

    /// `--conversations DIR`: the synthetic corpus (``SyntheticConversations``) and its truth.
    func writeConversations(_ path: String) {
        let folder = URL(fileURLWithPath: path)
        guard !FileManager.default.fileExists(atPath: path) else { fail("--conversations \(path) exists; give a new folder", .cannotCreate) }
        let corpus = SyntheticConversations.generate(leads: rows, seed: seed)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, text) in corpus.files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            try encoder.encode(corpus.truth).write(to: folder.appendingPathComponent("truth.json"))
        } catch {
            fail("cannot write the conversations to \(path): \(error.localizedDescription)", .cannotCreate)
        }
        let nextSteps = corpus.truth.planted.filter { $0.tracker == nil }.count
        print(
            "wrote \(corpus.files.count) files for \(rows) leads to \(path): \(corpus.truth.planted.count) planted sentences (\(nextSteps) next steps); truth \(path)/truth.json"
        )
    }

    var identityOptions: SyntheticIdentities.Options {
        SyntheticIdentities.Options(contactsPerAccount: contactsPerAccount, duplicateRate: duplicateRate, freeMailShare: freeMailShare)
    }

    func writeEvents(_ path: String) async throws {
        let stem = path.hasSuffix(".jsonl") ? String(path.dropLast(6)) : path
        let truthPath = eventsTruth ?? stem + ".truth.json"
        guard let model, let playbook else { return }
        do {
            let options = SyntheticOptions(quarters: quarters, driftStartDay: driftAfter.flatMap(LeadTime.day))
            let progress = TerminalProgress(label: "simulate", unit: "leads reached", quiet: quiet)
            let result = try await SimulatedTraffic.run(
                rows: rows, seed: seed, options: options, model: model, playbook: playbook, identities: accounts ? identityOptions : nil
            ) {
                progress.update($0, of: $1)
            }
            progress.finish()
            try result.jsonLines().write(to: URL(fileURLWithPath: path), options: .atomic)
            try result.truth.jsonData().write(to: URL(fileURLWithPath: truthPath), options: .atomic)
            let t = result.truth
            let within = t.firstHandoffSLA.values.map(\.met).reduce(0, +), judged = t.firstHandoffSLA.values.map { $0.met + $0.missed }.reduce(0, +)
            let people =
                t.identities.map { who in
                    let companies = Set(who.values.map(\.company)).count
                    let repeats = who.values.filter { $0.duplicateOf != nil }.count
                    return " (\(Set(who.values.map(\.person)).count) people at \(companies) companies, \(repeats) second form fills)"
                } ?? ""
            print(
                "wrote \(t.lines) events (\(t.duplicates) retried duplicates) for \(rows) leads\(people) to \(path): \(t.leadsHandedOff) handed off, first touch within SLA \(within) of \(judged), won \(t.won); truth \(truthPath)"
            )
        } catch let failure as SimulationFailure {
            fail(failure.description, .dataError)
        } catch {
            fail("cannot write \(path): \(error.localizedDescription); check that the folder exists and is writable", .cannotCreate)
        }
    }
}
