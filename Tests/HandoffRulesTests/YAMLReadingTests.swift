import Foundation
import HandoffRules
import ScoringModelFormat
import Testing

/// The scoring spec and every playbook section are read by one reader with one structural error
/// type: the same mistake gets the same message (file, line, key path, what to do) in both.
@Suite struct YAMLReadingTests {
    static let spec = "outcome: {column: won, positive: [\"1\"]}\nfeatures:\n  - {column: visits, type: numeric}\n"
    static let flow = "routing: {fallback_queue: q}\nreps:\n  - {id: a, time_zone: UTC}\n"

    func specError(_ yaml: String) -> YAMLFileError? {
        do {
            _ = try ScoringSpec.parse(yaml: yaml, file: "f.yaml")
            return nil
        } catch {
            guard case .yaml(let structural) = error else { return nil }
            return structural
        }
    }

    func playbookError(_ yaml: String) -> YAMLFileError? {
        do {
            _ = try Playbook.parse(yaml: yaml, file: "f.yaml").requireFlow()
            return nil
        } catch {
            guard case .yaml(let structural) = error else { return nil }
            return structural
        }
    }

    @Test func aDuplicateKeyReadsTheSameInBoth() throws {
        let inSpec = try #require(specError(Self.spec + "penalty: 1\npenalty: 2\n"))
        let inPlaybook = try #require(playbookError(Self.flow + "routing: {fallback_queue: r}\n"))
        #expect(inSpec == .duplicateKey(file: "f.yaml", line: 5, key: "penalty"))
        #expect(inPlaybook == .duplicateKey(file: "f.yaml", line: 4, key: "routing"))
        #expect(inSpec.description == "f.yaml line 5: `penalty` is given twice. Keep one.")
        #expect(inPlaybook.description == "f.yaml line 4: `routing` is given twice. Keep one.")
    }

    @Test func anUnknownKeyInAFlowSectionGetsTheNearestName() throws {
        let error = try #require(playbookError("routing: {fallback_queue: q, rulez: []}\nreps: []\n"))
        #expect(
            error == .unknownKey(file: "f.yaml", line: 1, key: "routing.rulez", suggestion: "rules", allowed: ["fallback_queue", "rules"]))
    }

    @Test func aWordWhereANumberBelongsNamesTheKeyInBoth() throws {
        let inSpec = try #require(specError(Self.spec + "points: {pdo: twenty}\n"))
        #expect(inSpec == .notANumber(file: "f.yaml", line: 4, key: "points.pdo", value: "twenty", wholeNumber: false))
        let inPlaybook = try #require(playbookError("routing: {fallback_queue: q}\nreps:\n  - {id: a, time_zone: UTC, capacity: 2.5}\n"))
        #expect(inPlaybook == .notANumber(file: "f.yaml", line: 3, key: "reps[0].capacity", value: "2.5", wholeNumber: true))
    }

    @Test func aMappingWhereAListBelongsIsAShapeError() throws {
        let error = try #require(playbookError("routing: {fallback_queue: q}\nreps: {id: a}\n"))
        #expect(error == .wrongShape(file: "f.yaml", line: 2, key: "reps", expected: "a list (`- …` lines or `[…]`)"))
    }

    /// Scalars are the text written: YAML 1.1 would read `NO` as false and `09:00` as 540
    /// (base 60); the playbook means Norway and nine o'clock.
    @Test func scalarsAreReadAsWritten() throws {
        let yaml = """
            routing:
              fallback_queue: q
              rules: [{match: territory, field: country, map: {NO: nordics, "off": other}}]
            sla:
              working_hours: {from: 09:00, to: 17:30}
            reps: [{id: a, time_zone: UTC, territories: [nordics]}]
            """
        let flow = try Playbook.parse(yaml: yaml, file: "f.yaml").requireFlow()
        #expect(flow.routing.rules[0].map == ["no": "nordics", "off": "other"])
        #expect(flow.sla.workingHours.opensAtMinute == 9 * 60)
    }

    @Test func anUnreadableFileSaysWhichDocumentItWasMeantToBe() {
        let missing = URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString).yaml")
        #expect {
            _ = try Playbook.load(url: missing)
        } throws: { error in
            guard case .yaml(.unreadable(_, "playbook", _))? = error as? PlaybookError else { return false }
            return "\(error)".contains("cannot read the playbook")
        }
        #expect {
            _ = try ScoringSpec.load(url: missing)
        } throws: { error in
            guard case .yaml(.unreadable(_, "spec", _))? = error as? ScoringSpecError else { return false }
            return "\(error)".contains("cannot read the spec")
        }
    }

    /// Every structural error of a mangled playbook points at a line of the file.
    @Test(arguments: [
        "routing: [q]\nreps: []\n",
        "routing: {fallback_queue: q}\nsla: {holidays: {us: 2026-12-25}}\nreps: []\n",
        "routing: {fallback_queue: q}\nsla: {policies: {high: {attempts: [6]}}}\nreps: []\n",
        "routing: {fallback_queue: q}\ndispositions: {codes: {spam: {to: [nurture]}}}\nreps: []\n",
        "routing: {fallback_queue: q}\nreps:\n  - {id: a, time_zone: UTC, out_of_office: [{from: 2026-12-01}]}\n",
        "routing: {fallback_queue: q}\nreps:\n  - {id: a, time_zone: UTC, working_hours: {from: \"09:00\"}}\n",
        "routing: {fallback_queue: q, rules: [{match: deal_size, field: e, tiers: [{below: 5}]}]}\nreps: []\n",
    ])
    func everyStructuralErrorHasALine(yaml: String) throws {
        let error = try #require(playbookError(yaml))
        let line = try #require(error.line)
        #expect((1...yaml.split(separator: "\n").count).contains(line), "\(error)")
        #expect(error.description.hasPrefix("f.yaml line \(line): `"), "\(error)")
    }
}
