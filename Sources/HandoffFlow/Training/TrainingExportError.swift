import BatonSupport
import Foundation

/// Why the store's leads cannot become training rows; each says what to change.
package enum TrainingExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No lead was created before the as-of date (`firstLead` nil: the store holds none).
    case asOfBeforeFirstLead(asOf: Date, firstLead: Date?)
    /// Spec features whose column no exported lead ever had a value for.
    case featuresNeverCarried(columns: [String], carried: [String], spec: String, leads: Int)
    /// A feature named like one of the row's own columns.
    case columnClash(column: String, spec: String)

    package var description: String {
        switch self {
        case let .asOfBeforeFirstLead(asOf, firstLead):
            let day = CivilDate.isoDate(day: (asOf.timeIntervalSince1970 / 86_400).clampedInt(.down, in: -1_000_000...3_000_000))
            guard let firstLead else {
                return "the store holds no leads, so there is nothing to export as of \(day); replay or ingest events first (baton handoff replay)"
            }
            let first = RFC3339.text(secondsSince1970: firstLead.timeIntervalSince1970)
            return "--as-of \(day) is before the store's first lead (created \(first)): pass a later --as-of"
        case let .featuresNeverCarried(columns, carried, spec, leads):
            let hints = columns.compactMap { column -> String? in
                let near = NearestName.candidates(near: column, among: carried)
                return near.isEmpty ? nil : "\(column) → \(near.joined(separator: " or "))?"
            }
            return
                "\(spec): feature\(columns.count == 1 ? "" : "s") \(quoted(columns)) never carried by any of the store's \(leads) leads (no field and no engagement event feeds \(columns.count == 1 ? "it" : "them")); remove \(columns.count == 1 ? "it" : "them") from the spec or correct the name\(hints.isEmpty ? "" : " (" + hints.joined(separator: "; ") + ")"). The leads carry: \(carried.isEmpty ? "no fields" : carried.joined(separator: ", "))"
        case let .columnClash(column, spec):
            return
                "\(spec): feature \"\(column)\" has the name of a column the export writes itself (\(TrainingRow.metaColumns.joined(separator: ", "))); rename the lead field"
        }
    }
}
