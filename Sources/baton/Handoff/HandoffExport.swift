import ArgumentParser
import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffServer

/// `baton handoff export`: the CRM update rows as CSV, for teams without API access to their CRM
/// (issue 14). One row per lead with activity at or after `--since` (a field, an event, an SLA step,
/// an assignment), in creation order: what the CRM write-back would write, from the same values.
struct HandoffExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the CRM update rows (score, stage, owner, SLA due, outcome) of leads changed since a date, as CSV.",
        discussion: """
            Columns: lead_id, crm_id (with --id-field), probability, points, stage, priority, owner_kind (rep or \
            fallback_queue), owner, sla_state, sla_due, closed_as (won, lost or a disposition code), closed_at, \
            last_activity_at, handoff_url (with --link-base). Times are RFC 3339 UTC; empty cells mean none. Text a \
            spreadsheet would run as a formula is prefixed with '. Import the file into the CRM keyed on crm_id or lead_id.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Only leads with activity at or after this time (RFC 3339, or a date: 2026-03-02).") var since: String
    @Option(help: "Write here (a new file; default standard output).") var out: String?
    @Option(help: "The lead field holding the CRM's record id (e.g. hs_object_id), written as crm_id.") var idField: String?
    @Option(help: "Baton's public URL (https://baton.example.com), for a handoff_url column.") var linkBase: String?

    func run() async throws {
        guard let start = EventTime.parse(since, dateOnlyAllowed: true) else {
            fail("--since `\(since)` is not an RFC 3339 time with a zone (2026-03-02T14:05:00Z) or a date (2026-03-02)", .usage)
        }
        if let idField, Identifier.problem(idField) != nil || idField.count > 100 {
            fail("--id-field `\(idField)` is not a field name", .usage)
        }
        if let linkBase, URL(string: linkBase)?.host == nil { fail("--link-base `\(linkBase)` is not an absolute URL", .usage) }
        if let out, FileManager.default.fileExists(atPath: out) { fail("--out \(out) exists; choose a new file", .cannotCreate) }
        store.requireExisting("no store at \(store.db): pass the --db that `baton serve` or `baton handoff replay` wrote")
        var header = ["lead_id"]
        if idField != nil { header.append("crm_id") }
        header += [
            "probability", "points", "stage", "priority", "owner_kind", "owner", "sla_state", "sla_due", "closed_as", "closed_at", "last_activity_at",
        ]
        if linkBase != nil { header.append("handoff_url") }
        let lines: [String]
        do throws(StoreError) {
            lines = try await store.withStore { handoff throws(StoreError) in
                var lines = [CSVCell.line(header)]
                var query = LeadListQuery(since: start, limit: LeadListQuery.maximumLimit)
                while true {
                    let page = try await handoff.leadList(query)
                    for entry in page.entries {
                        guard let timeline = try await handoff.leadTimeline(leadID: entry.lead.id) else { continue }
                        lines.append(CSVCell.line(row(timeline, lastActivity: entry.lastActivityAt)))
                    }
                    guard let next = page.next else { break }
                    query.after = next
                }
                return lines
            }
        } catch {
            fail(error)
        }
        let text = lines.joined(separator: "\r\n") + "\r\n"
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) else { fail("cannot write \(out)", .cannotCreate) }
            FileHandle.standardError.write(Data("\(lines.count - 1) lead(s) written to \(out)\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    func row(_ timeline: LeadTimeline, lastActivity: Date) -> [String] {
        let state = LeadCRMState(timeline)
        var cells = [state.leadID]
        if let idField {
            cells.append(timeline.lead.fieldValues[idField] ?? "")
        }
        cells += [
            state.probability.map { String(format: "%.4f", $0) } ?? "", state.points.map(\.wholeText) ?? "", state.stage?.rawValue ?? "",
            state.priority?.rawValue ?? "", state.ownerKind ?? "", state.ownerID ?? "", state.slaState?.rawValue ?? "",
            state.slaDue.map(EventTime.format) ?? "", state.closedAs ?? "", state.closedAt.map(EventTime.format) ?? "",
            EventTime.format(lastActivity),
        ]
        if let linkBase {
            let base = linkBase.hasSuffix("/") ? String(linkBase.dropLast()) : linkBase
            cells.append("\(base)/leads/\(CRMWriteBack.pathSegment(state.leadID))")
        }
        return cells
    }
}
