import BatonSupport
import Foundation
import HandoffPersistence
import ScoringModelFormat

/// `baton training export`: the store's leads as point-in-time training rows (``TrainingRow``)
/// with the closed loop's outcome, and what the outcome window says about the open ones.
package struct TrainingExport: Sendable {
    /// Rows in creation order.
    package var rows: [TrainingRow]
    /// The feature columns, in spec order, each once.
    package let columns: [String]
    package let asOf: Date
    package let outcomeWindowDays: Int

    package var won: Int { rows.count { $0.outcome == .won } }
    package var lost: Int { rows.count { $0.outcome == .lost } }
    /// Open leads created at least `outcomeWindowDays` before the as-of instant: their outcome
    /// should be known by now and is not. Counted and reported, never treated as lost.
    package var openPastWindow: Int { rows.count { $0.outcome == .open && isPastWindow($0) } }
    /// Open leads still within their outcome window.
    package var openMaturing: Int { rows.count { $0.outcome == .open && !isPastWindow($0) } }
    package var handedOff: Int { rows.count(where: \.handedOff) }

    /// Whether the lead's outcome window has ended by the as-of instant.
    package func isPastWindow(_ row: TrainingRow) -> Bool {
        row.createdAt.addingTimeInterval(Double(outcomeWindowDays) * 86_400) <= asOf
    }

    /// The rows of `histories` (leads created before `asOf`) for `features`.
    /// - Parameter firstLead: the store's first lead's creation time (for the error when none is before `asOf`).
    /// - Throws: ``TrainingExportError`` for an as-of before the first lead, a feature that shares
    ///   a name with a row's own columns, or features no lead ever carried.
    package static func build(
        histories: [LeadHistory], asOf: Date, features: [FeatureSpec], outcomeWindowDays: Int, firstLead: Date?, specFile: String
    ) throws(TrainingExportError) -> TrainingExport {
        var columns: [String] = []
        for feature in features where !columns.contains(feature.column) {
            if TrainingRow.metaColumns.contains(feature.column) {
                throw .columnClash(column: feature.column, spec: specFile)
            }
            columns.append(feature.column)
        }
        let rows = TrainingRow.rows(from: histories, asOf: asOf, features: features)
        guard !rows.isEmpty else { throw .asOfBeforeFirstLead(asOf: asOf, firstLead: firstLead) }
        let never = columns.filter { column in rows.allSatisfy { ($0.values[column] ?? "").isEmpty } }
        if !never.isEmpty {
            var carried = Set<String>()
            for history in histories {
                for event in history.events where LeadHistoryQuery.fieldTypes.contains(event.type) {
                    let payload = try? event.payload.decode(TrainingRow.FieldsPayload.self)
                    carried.formUnion(payload?.fields?.keys ?? [String: String]().keys)
                }
                carried.formUnion(history.lead.fieldValues.keys)
            }
            throw .featuresNeverCarried(columns: never, carried: carried.sorted(), spec: specFile, leads: rows.count)
        }
        return TrainingExport(rows: rows, columns: columns, asOf: asOf, outcomeWindowDays: outcomeWindowDays)
    }

    /// The CSV text: the row's own columns (``TrainingRow/metaColumns``), then the features.
    /// Times are RFC 3339 UTC; `won` is 1 / 0, empty while open, so a fit on the file refuses an
    /// open lead by its line instead of reading it as lost.
    /// - Parameters:
    ///   - renaming: header names to use instead of the row's own (`created_at` → the spec's
    ///     `time`, `won` → its outcome column), so a spec written for other names reads the file.
    ///   - labels: the `won` cell of a won and of a lost lead.
    package func csv(renaming: [String: String] = [:], labels: (won: String, lost: String) = ("1", "0")) -> String {
        let header = TrainingRow.metaColumns.map { renaming[$0] ?? $0 } + columns
        var out = header.map(Self.field).joined(separator: ",") + "\n"
        for row in rows {
            let won: String
            switch row.outcome {
            case .won: won = labels.won
            case .lost: won = labels.lost
            case .open: won = ""
            }
            var cells: [String] = [row.leadID, Self.time(row.createdAt)]
            cells.append(row.scoredAt.map(Self.time) ?? "")
            cells.append(row.handedOff ? "1" : "0")
            cells.append(row.scoreModel ?? "")
            cells.append(row.scorePoints.map { "\($0)" } ?? "")
            cells.append(row.scoreProbability.map { "\($0)" } ?? "")
            cells += [row.outcome.rawValue, won, row.closedAt.map(Self.time) ?? "", row.closedBy]
            cells += columns.map { row.values[$0] ?? "" }
            out += cells.map(Self.field).joined(separator: ",") + "\n"
        }
        return out
    }

    /// The spec a fit of this file needs: `features` as given, `id: lead_id`, `time: created_at`,
    /// outcome `won` in ["1"].
    package func spec(from spec: ScoringSpec) -> ScoringSpec {
        var result = spec
        result.id = "lead_id"
        result.time = "created_at"
        result.outcome = OutcomeSpec(column: "won", positive: ["1"])
        return result
    }

    static func time(_ date: Date) -> String { RFC3339.text(secondsSince1970: date.timeIntervalSince1970) }

    /// RFC 4180 quoting: a cell with a comma, quote or line break is quoted, quotes doubled.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
