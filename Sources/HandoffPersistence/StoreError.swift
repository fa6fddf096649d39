import Foundation

/// Everything the hand-off store can refuse, each case naming the record and field involved.
///
/// `description` says what went wrong and what to do about it. Lead fields and payloads never
/// appear in a description (they may hold personal data); only ids, table and column names do.
package enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or created as a database.
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// The database was migrated by a newer Baton whose migrations this build does not know.
    case schemaFromNewerBaton(path: String, databaseVersion: Int, supportedVersion: Int, unknownMigrations: [String])
    /// A record refers to a lead that is not stored.
    case unknownLead(leadID: String, referencedBy: String, field: String)
    /// A record refers to a rep that is not on the stored roster.
    case unknownRep(repID: String, referencedBy: String, field: String)
    /// A record refers to an opportunity that is not stored.
    case unknownOpportunity(opportunityID: String, referencedBy: String, field: String)
    /// A model registry operation named a weight file that was never registered.
    case unknownModel(sha256: String)
    /// A value is outside what the store accepts (empty id, bad currency code, invalid JSON, …).
    case invalidField(record: String, field: String, reason: String)
    /// The lead already has an open assignment; close it before opening another.
    case leadAlreadyAssigned(leadID: String, openAssignmentTarget: String)
    /// The router state was changed by someone else since it was read.
    case routerStateConflict(name: String, expectedRevision: Int64, actualRevision: Int64)
    /// A model registry transition that is not possible in the current state.
    case modelRegistry(reason: String)
    /// The same id was already used by a record of a different kind or with other content that must not change.
    case conflictingRecord(record: String, id: String, reason: String)
    /// A unit of work in a batch failed; the units before it are committed, it and the ones after are not.
    indirect case batchHalted(index: Int, committedCount: Int, cause: StoreError)
    /// The database reported an error the store does not classify (I/O, disk full, busy, …).
    case database(operation: String, message: String)
    /// A database server (PostgreSQL) could not be reached, or the connection was lost, while
    /// `operation` ran. `server` names host, port, database and user (never a password). A unit of
    /// work is stored whole or not at all, so `reason` says whether it is certainly not stored or
    /// its commit was in flight (then a retry is safe: its ids are idempotent).
    case unavailable(server: String, operation: String, reason: String)

    package var description: String {
        switch self {
        case let .cannotOpen(path, reason) where path.hasPrefix("postgres://") || path.hasPrefix("postgresql://"):
            return
                "cannot open the hand-off store at \(path): \(reason). Check the user, password and database name in --db (the database must exist; Baton creates its tables)."
        case let .cannotOpen(path, reason):
            return "cannot open the hand-off store at \(path): \(reason). Check that the folder exists and is writable."
        case let .notADatabase(path):
            return "\(path) is not an SQLite database. Point --db at a new file (it will be created) or at a Baton store."
        case let .schemaFromNewerBaton(path, databaseVersion, supportedVersion, unknown):
            return
                "the store at \(path) has schema version \(databaseVersion), written by a newer Baton; this build reads up to version \(supportedVersion) (unknown migrations: \(unknown.joined(separator: ", "))). Upgrade Baton to open it; do not edit or downgrade the database."
        case let .unknownLead(leadID, referencedBy, field):
            return
                "\(referencedBy): field \(field) names lead '\(leadID)', which is not stored. Send the lead-created event for '\(leadID)' first, then retry this one."
        case let .unknownRep(repID, referencedBy, field):
            return
                "\(referencedBy): field \(field) names rep '\(repID)', who is not on the roster. Add the rep to the roster (or fix the id), then retry."
        case let .unknownOpportunity(opportunityID, referencedBy, field):
            return
                "\(referencedBy): field \(field) names opportunity '\(opportunityID)', which is not stored. Send the opportunity event first, then retry."
        case let .unknownModel(sha256):
            return "no weight file with sha256 \(sha256) is registered. Upload it to the model registry first."
        case let .invalidField(record, field, reason):
            return "\(record): field \(field) \(reason)."
        case let .leadAlreadyAssigned(leadID, target):
            return "lead '\(leadID)' is already assigned to \(target). Close that assignment (reassign) before opening a new one."
        case let .routerStateConflict(name, expected, actual):
            return
                "router state '\(name)' is at revision \(actual), not \(expected) as read; another writer took a turn. Re-read the state and route again."
        case let .modelRegistry(reason):
            return "model registry: \(reason)."
        case let .conflictingRecord(record, id, reason):
            return "\(record) '\(id)': \(reason)."
        case let .batchHalted(index, committed, cause):
            return
                "batch stopped at unit \(index) (\(committed) earlier unit(s) are committed and stay stored; this one and later ones are not): \(cause.description)"
        case let .database(operation, message):
            return "database error while \(operation): \(message). Check disk space and file permissions; the write was rolled back."
        case let .unavailable(server, operation, reason):
            return
                "the PostgreSQL server \(server) is unavailable while \(operation): \(reason). Check that it is running and accepts connections there (pg_isready -d \(server)) and that --db names the right host and port; retry when it is back."
        }
    }
}
