import DatasetImport
import HandoffSQLite
import ArgumentParser
import HandoffReviews
import Foundation
import HandoffPersistence

/// `baton import olist-funnel`: the Olist files into a hand-off store, read by the same reader as
/// `baton import olist`.
struct ImportOlistFunnel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "olist-funnel",
        abstract: "Import the Olist marketing funnel (MQLs and closed deals) into a hand-off store.",
        discussion: """
            Reads the files like `baton import olist` (same join, same checks). \
            MQLs become leads handed off at first_contact_date (origin = source, landing page = campaign); \
            closed deals become won opportunities at won_date with declared_monthly_revenue (BRL) as amount \
            and the SDR as the rep. A deal naming an unknown MQL, or a second deal for one, stops the import \
            (exit 65) before anything is stored. Re-running skips leads already stored.
            """)

    @Option(help: "olist_marketing_qualified_leads_dataset.csv") var mqls: String
    @Option(help: "olist_closed_deals_dataset.csv") var deals: String
    @Option(help: "Hand-off store: an SQLite file (created if missing), or postgres://user@host:port/database.") var db: String

    func run() throws {
        for (path, flag) in [(mqls, "--mqls"), (deals, "--deals")] where !FileManager.default.isReadableFile(atPath: path) {
            reviewFail("\(flag) file \(path) does not exist or cannot be read; check the path", code: 64)
        }
        var options = SQLiteHandoffStore.Options()
        options.durability = .normal  // a re-runnable bulk import; a crash loses at most the last units
        let store = openStore(db, sqliteOptions: options) { message, code in reviewFail(message, code: code) }
        let mqls = self.mqls, deals = self.deals
        do {
            let s = try blocking { () async throws(StoreImportError) -> OlistStoreImport.Summary in
                try await OlistStoreImport.run(mqls: mqls, deals: deals, into: store)
            }
            print("imported \(s.leads - s.alreadyStored) leads (\(s.alreadyStored) already stored), \(s.wonDeals) won deals (\(s.dealsWithRevenue) with declared revenue, \(s.wonBeforeFirstContact) won before the MQL date), \(s.reps) reps")
        } catch {
            reviewFail(error.description, code: error.isBadData ? 65 : 1)
        }
    }
}
