import ArgumentParser
import ClosedLoopAnalytics
import Foundation
import HandoffStore

struct ImportFunnel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-funnel",
        abstract: "Import the Olist marketing funnel (MQLs and closed deals) into a hand-off store.",
        discussion: """
            MQLs become leads handed off at first_contact_date (origin = source, landing page = campaign); \
            closed deals become won opportunities at won_date with declared_monthly_revenue (BRL) as amount \
            and the SDR as the rep. Re-running skips leads already stored.
            """)

    @Option(help: "olist_marketing_qualified_leads_dataset.csv") var mqls: String
    @Option(help: "olist_closed_deals_dataset.csv") var deals: String
    @Option(help: "Hand-off store (SQLite file, created if missing).") var db: String

    func run() throws {
        for path in [mqls, deals] where !FileManager.default.isReadableFile(atPath: path) {
            reviewFail("\(path): file not found or not readable; check the path", code: 64)
        }
        var options = SQLiteHandoffStore.Options()
        options.durability = .normal  // a re-runnable bulk import; a crash loses at most the last units
        let store: SQLiteHandoffStore
        do { store = try SQLiteHandoffStore(path: db, options: options) } catch { reviewFail(error.description, code: 65) }
        let mqls = self.mqls, deals = self.deals
        do {
            let s = try blocking { () async throws(AnalyticsError) -> OlistFunnelImport.Summary in
                try await OlistFunnelImport.run(mqls: mqls, deals: deals, into: store)
            }
            print("imported \(s.leads - s.alreadyStored) leads (\(s.alreadyStored) already stored), \(s.wonDeals) won deals (\(s.dealsWithRevenue) with declared revenue, \(s.wonBeforeFirstContact) won before the MQL date), \(s.reps) reps")
        } catch {
            reviewFail(error.description, code: error.isBadData ? 65 : 1)
        }
    }
}
