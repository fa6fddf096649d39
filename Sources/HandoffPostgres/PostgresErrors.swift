import Foundation
import HandoffPersistence
import PostgresNIO

/// Where a transaction stood when its connection failed: this decides what the caller is told.
enum TransactionPhase: Sendable {
    /// BEGIN had not been acknowledged: nothing of the unit reached the server; safe to retry here.
    case beginning
    /// Statements ran; COMMIT was not sent. The server rolls the transaction back.
    case running
    /// COMMIT was sent and no answer came: the unit is stored whole or not at all.
    case committing
}

/// A lease that did not arrive in time (the server stopped answering or every connection is busy).
struct LeaseTimeout: Error {
    let seconds: Double
}

enum PostgresErrors {
    /// SQLSTATE classes and codes that mean the connection or server went away, not that the
    /// statement was wrong: 08 connection exceptions, 57P01–57P03 shutdown / terminated
    /// backend / cannot connect now, 53300 too many connections.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        if error is LeaseTimeout || error is ReadDeadline { return true }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
                .sslUnsupported, .failedToAddSSLHandler:
                return true
            case .server:
                let state = psql.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
            default:
                return false
            }
        }
        // The pool's own errors (circuit breaker after repeated connect failures, pool shut down)
        // live in a module this package does not import; their type names are stable.
        let typeName = String(describing: type(of: error))
        return typeName.contains("ConnectionPoolError") || error is ChannelError || error is IOError
    }

    /// A transaction the server rolled back whole so that another could go on: 40P01
    /// deadlock_detected, 40001 serialization_failure. Running it again is the documented cure
    /// (PostgreSQL manual, "Serialization Failure Handling"); two instances that write the same
    /// events and leads in different orders (group commit) meet this under load.
    static func isTransactionConflict(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError, psql.code == .server else { return false }
        return ["40P01", "40001"].contains(psql.serverInfo?[.sqlState] ?? "")
    }

    /// Plain words for a connection failure (no query text, no values).
    static func connectionReason(_ error: any Error) -> String {
        if let timeout = error as? LeaseTimeout {
            return "no connection became available within \(timeout.seconds) s"
        }
        if let deadline = error as? ReadDeadline {
            return "the read got no answer within \(deadline.seconds) s"
        }
        if let psql = error as? PSQLError {
            if psql.code == .server, let message = psql.serverInfo?[.message] {
                return "the server ended the session (\(psql.serverInfo?[.sqlState] ?? "?"): \(message))"
            }
            if let underlying = psql.underlying { return "\(psql.code): \(underlying)" }
            return "\(psql.code)"
        }
        return "\(error)"
    }

    /// Maps an error thrown inside a unit of work (or a read) to a ``StoreError``.
    static func classify(_ error: any Error, operation: String, server: String, phase: TransactionPhase? = nil) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if isConnectionLoss(error) {
            let outcome: String
            switch phase {
            case nil: outcome = "nothing was written"
            case .beginning?, .running?:
                outcome = "the transaction did not commit, so nothing of it was written"
            case .committing?:
                outcome =
                    "the connection was lost while COMMIT was in flight, so the unit is stored whole or not at all; retry it (its ids make a retry safe) or read to check"
            }
            return .unavailable(server: server, operation: operation, reason: "\(connectionReason(error)); \(outcome)")
        }
        guard let psql = error as? PSQLError else {
            if let decoding = error as? PostgresDecodingError {
                return .database(operation: operation, message: "column \(decoding.columnName) has an unexpected type (\(decoding.postgresType))")
            }
            return .database(operation: operation, message: "\(error)")
        }
        guard psql.code == .server, let info = psql.serverInfo else {
            return .database(operation: operation, message: "\(psql.code)")
        }
        let state = info[.sqlState] ?? ""
        let message = info[.message] ?? "server error"
        let column = info[.columnName] ?? constrainedColumn(info[.constraintName], detail: info[.detail])
        switch state {
        case "23503":
            return .invalidField(
                record: operation, field: column ?? "reference",
                reason:
                    "refers to a row that is not stored (foreign key \(info[.constraintName] ?? "")); store the referenced lead, rep or opportunity first"
            )
        case "23514", "23502", "22P02", "22001", "22003":
            return .invalidField(record: operation, field: column ?? "value", reason: "breaks a constraint of the schema (\(message))")
        case "23505":
            return .invalidField(record: operation, field: column ?? "id", reason: "repeats a value that must be unique (\(message))")
        default:
            return .database(operation: operation, message: "\(state): \(message)")
        }
    }

    /// The column named in a constraint violation's detail, e.g. `Key (lead_id)=(x) is not present …`.
    private static func constrainedColumn(_ constraint: String?, detail: String?) -> String? {
        if let detail, let open = detail.firstIndex(of: "("), let close = detail[open...].firstIndex(of: ")") {
            return String(detail[detail.index(after: open)..<close])
        }
        return constraint
    }
}
