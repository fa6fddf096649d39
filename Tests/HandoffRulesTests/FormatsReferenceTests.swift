import Foundation
import HandoffRules
import ScoringModelFormat
import TestSupport
import Testing

/// `Notebooks-md/formats.md` against the code: the playbook keys the readers accept, its example
/// playbook, and the JSON fields of the hand-off package.
@Suite struct FormatsReferenceTests {
    static let playbookSection = "Playbook keys"
    static let packageSection = "Hand-off package"
    static let leadFieldsSection = "Lead fields the package reads"

    @Test func everyPlaybookKeyTheReadersAcceptIsDocumentedAndNoOther() throws {
        let documented = try FormatsReference().names(Self.playbookSection)
        #expect(documented.count == Set(documented).count, "a key is documented twice: \(documented)")
        let code = Set(Playbook.keyPaths)
        #expect(
            code == Set(documented),
            "\(FormatsReference.difference(code: code, documented: Set(documented), what: "playbook keys"))")
    }

    /// The example must be a playbook the reader takes whole, and must show every documented key.
    @Test func theExamplePlaybookParsesAndUsesEveryKey() throws {
        let reference = try FormatsReference()
        let examples = try reference.blocks(Self.playbookSection, language: "yaml")
        try #require(examples.count == 1, "expected one ```yaml block under `## \(Self.playbookSection)`")
        let yaml = examples[0]
        let playbook = try Playbook.parse(yaml: yaml, file: "formats.md")
        let flow = try playbook.requireFlow()
        #expect(playbook.qualification?.rules.map(\.name) == ["ready_to_buy", "engaged"])
        #expect(flow.roster.ids == ["avery", "mila"])
        #expect(flow.dispositions.code("gatekeeper_block")?.requiresMinimumAttempts == true)

        let used = try Self.keyPaths(in: yaml)
        let documented = Set(try reference.names(Self.playbookSection))
        #expect(
            used == documented,
            "the example playbook in \(FormatsReference.relativePath) should use every documented key and no other; missing: \(documented.subtracting(used).sorted()), extra: \(used.subtracting(documented).sorted())"
        )
    }

    /// Key paths of a YAML document in the reference's notation: list items as `[]`, names the
    /// author chooses as `<…>`.
    static func keyPaths(in yaml: String) throws -> Set<String> {
        let reader = YAMLReader<PlaybookError>(file: "formats.md")
        guard let root = try reader.compose(yaml) else { return [] }
        var paths = Set<String>()
        func walk(_ entry: YAMLEntry) {
            if let fields = try? reader.orderedEntries(entry, allowed: nil) {
                for (_, child) in fields {
                    paths.insert(normalized(child.key))
                    walk(child)
                }
            } else if let items = try? reader.items(entry) {
                items.forEach(walk)
            }
        }
        walk(reader.root(root))
        return paths
    }

    static func normalized(_ path: String) -> String {
        var path = path.replacingOccurrences(of: #"\[\d+\]"#, with: "[]", options: .regularExpression)
        for (pattern, name) in [
            (#"^routing\.rules\[\]\.map\.[^.]+"#, "routing.rules[].map.<value>"), (#"^sla\.holidays\.[^.]+"#, "sla.holidays.<list>"),
            (#"^sla\.policies\.[^.]+"#, "sla.policies.<policy>"), (#"^dispositions\.codes\.[^.]+"#, "dispositions.codes.<code>"),
            (#"^trackers\.[^.]+"#, "trackers.<tracker>"), (#"^merge\.field_rules\.[^.]+"#, "merge.field_rules.<field>"),
        ] {
            path = path.replacingOccurrences(of: pattern, with: name, options: .regularExpression)
        }
        return path
    }

    /// Every JSON field of a package with everything set (owner, phone, content, rebuilt scores).
    @Test func everyPackageFieldIsDocumentedAndNoOther() throws {
        var package = try HandoffPackageTests().package(owner: MarketingOwner(name: "Grace Hopper", email: "grace@example.com", title: "CMO"))
        package.prospect.phone = "+1 555 0100"
        package.scoreAtHandoff = .init(points: 640, probability: 0.3, scoredAt: Fixture.now, modelChecksum: "a")
        package.scoreNow = .init(points: 655, probability: 0.35, scoredAt: Fixture.now.addingTimeInterval(3600), modelChecksum: "b")
        package.qualification.rule = "engaged"
        let line = WhatWasSaid.Line(text: "Let's meet next Tuesday.", source: "interaction 1 (call), Sam, 00:02:15", note: "next Tuesday")
        package.whatWasSaid = WhatWasSaid(
            interactions: 1, summary: [line], nextSteps: [line], objections: [line], trackerCounts: [.init(tracker: "pricing", count: 2)],
            callMeasures: ["interaction 1 (call): rep talk 34 %"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(package.jsonBytes())) as? [String: Any])
        var paths = Set<String>()
        func walk(_ value: Any, _ path: String) {
            if let object = value as? [String: Any] {
                for (key, child) in object {
                    let name = path == "prospect.firmographics" ? "<column>" : key
                    walk(child, path.isEmpty ? name : "\(path).\(name)")
                }
            } else if let array = value as? [Any], array.contains(where: { $0 is [String: Any] }) {
                for item in array { walk(item, path + "[]") }
            } else {
                paths.insert(path)
            }
        }
        walk(object, "")
        let documented = try FormatsReference().names(Self.packageSection)
        #expect(documented.count == Set(documented).count, "a package field is documented twice: \(documented)")
        #expect(paths == Set(documented), "\(FormatsReference.difference(code: paths, documented: Set(documented), what: "package fields"))")
    }

    /// The lead fields the package reads are the documented ones plus the marketing owner's.
    @Test func theLeadFieldsThePackageReadsAreDocumented() throws {
        let leadFields = Set(try FormatsReference().names(Self.leadFieldsSection))
        let known = HandoffPackage.documentedFields
        #expect(known.isSubset(of: leadFields), "\(FormatsReference.difference(code: known, documented: leadFields, what: "lead fields"))")
        #expect(
            leadFields.subtracting(known) == ["marketing_owner_name", "marketing_owner_email", "marketing_owner_title"],
            "besides HandoffPackage.documentedFields only the marketing owner's fields (HandoffFlowTests checks them) may be listed")
    }
}
