import ArgumentParser
import DatasetImport
import Foundation
import HandoffPersistence
import HandoffReviews
import HandoffSQLite

/// `baton import olist-funnel`: the Olist files into a hand-off store, read by the same reader as
/// `baton import olist`.
struct ImportOlistFunnel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "olist-funnel",
        abstract: "Import the Olist marketing funnel (MQLs and closed deals) into a hand-off store.",
        discussion: """
            Reads the files like `baton import olist` (same join, same checks). \
            MQLs become leads handed off at first_contact_date (origin = source, landing page = campaign); \
            closed deals become won opportunities at won_date with declared_monthly_revenue (BRL) as amount \
            and the SDR as the rep. A deal naming an unknown MQL, or a second deal for one, stops the import \
            (exit 65) before anything is stored. Re-running skips leads already stored. An SQLite --db file is created \
            when missing.
            """)

    @Option(help: "olist_marketing_qualified_leads_dataset.csv") var mqls: String
    @Option(help: "olist_closed_deals_dataset.csv") var deals: String
    @OptionGroup var store: StoreOptions

    func run() async throws {
        for (path, flag) in [(mqls, "--mqls"), (deals, "--deals")] where !FileManager.default.isReadableFile(atPath: path) {
            fail("\(flag) file \(path) does not exist or cannot be read; check the path", .usage)
        }
        var options = SQLiteHandoffStore.Options()
        options.durability = .normal  // a re-runnable bulk import; a crash loses at most the last units
        do throws(StoreImportError) {
            let s = try await store.withStore(sqliteOptions: options) { handoffStore throws(StoreImportError) in
                try await OlistStoreImport.run(mqls: mqls, deals: deals, into: handoffStore)
            }
            print(
                "imported \(s.leads - s.alreadyStored) leads (\(s.alreadyStored) already stored), \(s.wonDeals) won deals (\(s.dealsWithRevenue) with declared revenue, \(s.wonBeforeFirstContact) won before the MQL date), \(s.reps) reps"
            )
        } catch {
            fail(error)
        }
    }
}
