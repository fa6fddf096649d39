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
            stretches the clock ran in the owner's calendar. A lead merged into another (a second form fill, a CRM merge) \
            says so, and is followed by the decisions of the lead it was merged into. --json prints what GET /leads/{id}/decisions answers.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The lead's id.") var lead: String
    @Flag(help: "Print JSON ({lead_id, merged_into, merges, count, decisions}) instead of text.") var json = false

    func run() async throws {
        store.requireExisting("no store at \(store.db). Run `baton handoff replay … --db \(store.db)` first.")
        let found: (lead: LeadDecisions?, survivor: LeadDecisions?)
        do throws(StoreError) {
            found = try await store.withStore { handoffStore throws(StoreError) in
                let decisions = try await handoffStore.leadDecisions(leadID: lead)
                guard let survivor = decisions?.mergedInto else { return (decisions, nil) }
                return (decisions, try await handoffStore.leadDecisions(leadID: survivor))
            }
        } catch {
            fail(error.description, .failure)
        }
        guard let decisions = found.lead else {
            fail("lead '\(lead)' is not in \(store.db); check the id (`baton handoff status` lists the open hand-offs)", .usage)
        }
        if json {
            printPrettyJSON(decisions)
        } else {
            print(decisions.text(survivor: found.survivor), terminator: "")
        }
    }
}
