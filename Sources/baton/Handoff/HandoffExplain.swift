import ArgumentParser
import Foundation
import HandoffPersistence
import HandoffRules

/// `baton handoff explain`: why a lead went where it went, from the store's decision ledger.
struct HandoffExplain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Why a lead went where it went: its routing decisions and SLA transitions.",
        discussion: """
            Reads the lead's decision ledger: for each routing decision the rules applied and every rep on the \
            roster with its verdict (chosen, passed_over, skipped) and reason (territory, industry, deal_size, left, \
            rule_unresolved, excluded, out_of_office, capacity, specialist, working_hours, weight), with the \
            round-robin credits; for each SLA transition the phases, the first-touch deadline and the business-time \
            stretches the clock ran in the owner's calendar. --json prints what GET /leads/{id}/decisions answers.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The lead's id.") var lead: String
    @Flag(help: "Print JSON ({lead_id, count, decisions}) instead of text.") var json = false

    func run() async throws {
        store.requireExisting("no store at \(store.db). Run `baton handoff replay … --db \(store.db)` first.")
        let found: (stored: Bool, entries: [DecisionLedgerEntry])
        do throws(StoreError) {
            found = try await store.withStore { handoffStore throws(StoreError) in
                guard try await handoffStore.lead(id: lead) != nil else { return (false, []) }
                return (true, try await handoffStore.decisionLedger(leadID: lead).map { record throws(StoreError) in try record.decoded() })
            }
        } catch {
            fail(error.description, .failure)
        }
        guard found.stored else {
            fail("lead '\(lead)' is not in \(store.db); check the id (`baton handoff status` lists the open hand-offs)", .usage)
        }
        if json {
            printPrettyJSON(ExplainJSON(leadID: lead, count: found.entries.count, decisions: found.entries))
        } else {
            print(DecisionLedgerText.render(leadID: lead, entries: found.entries), terminator: "")
        }
    }
}

/// The `--json` shape: the same document as `GET /leads/{id}/decisions`.
private struct ExplainJSON: Encodable {
    let leadID: String
    let count: Int
    let decisions: [DecisionLedgerEntry]

    enum CodingKeys: String, CodingKey {
        case count, decisions
        case leadID = "lead_id"
    }
}
