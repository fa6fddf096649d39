import Foundation
import HandoffPersistence
import Logging
import PostgresNIO

/// One query parameter. Queries are written with `$1, $2, …` so the SQL reads like the
/// SQLite store's; values never enter the SQL text.
package enum Bind: Sendable {
    case text(String?)
    case int(Int64?)
    case double(Double)
    case bool(Bool)
    case bytes(Data?)

    package static func int(_ value: Int) -> Bind { .int(Int64(value)) }
    package static func date(_ value: Date) -> Bind { .int(value.storeMillis) }
    package static func date(_ value: Date?) -> Bind { .int(value.map(\.storeMillis)) }
}

package let quietLogger = Logger(label: "baton.handoff-store.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

/// A connection inside one unit of work (or one read), with the store's small query helpers.
package struct SQL {
    package let connection: PostgresConnection

    package init(connection: PostgresConnection) { self.connection = connection }

    /// Runs `sql` and returns its rows (all of them; the store's reads are bounded by their scope).
    package func rows(_ sql: String, _ binds: [Bind] = []) async throws -> [Cells] {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case let .text(value): bindings.append(value)
            case let .int(value): bindings.append(value)
            case let .double(value): bindings.append(value)
            case let .bool(value): bindings.append(value)
            case let .bytes(value): try bindings.append(value)
            }
        }
        let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: quietLogger)
        var result: [Cells] = []
        for try await row in sequence { result.append(Cells(row: row.makeRandomAccess())) }
        return result
    }

    package func row(_ sql: String, _ binds: [Bind] = []) async throws -> Cells? {
        try await rows(sql, binds).first
    }

    package func execute(_ sql: String, _ binds: [Bind] = []) async throws {
        _ = try await rows(sql, binds)
    }

    package func exists(_ sql: String, _ binds: [Bind]) async throws -> Bool {
        try await row(sql, binds) != nil
    }
}

/// Typed access to one row by column name.
package struct Cells {
    package let row: PostgresRandomAccessRow

    package func text(_ column: String) throws -> String { try row[column].decode(String.self) }
    package func optionalText(_ column: String) throws -> String? { try row[column].decode(String?.self) }
    package func int64(_ column: String) throws -> Int64 { try row[column].decode(Int64.self) }
    package func optionalInt64(_ column: String) throws -> Int64? { try row[column].decode(Int64?.self) }
    package func int(_ column: String) throws -> Int { Int(try int64(column)) }
    package func double(_ column: String) throws -> Double { try row[column].decode(Double.self) }
    package func bool(_ column: String) throws -> Bool { try row[column].decode(Bool.self) }
    package func bytes(_ column: String) throws -> Data? { try row[column].decode(Data?.self) }
    package func date(_ column: String) throws -> Date { Date(storeMillis: try int64(column)) }
    package func optionalDate(_ column: String) throws -> Date? { try optionalInt64(column).map(Date.init(storeMillis:)) }

    /// A `json` column read as text (the SELECT casts it with `::text`). Not parsed again: the
    /// `json` type checks "that each stored value is a valid JSON value" on input (PostgreSQL
    /// documentation, chapter 8, "JSON Types"), and every column read here is `json` in
    /// ``PostgresSchema``. Parsing it once more (JSONSerialization) was a third of the server's
    /// CPU in the load test on PostgreSQL, each event re-reading its lead's scores and decisions.
    package func json(_ column: String) throws -> JSONText {
        JSONText(trusted: try text(column))
    }

    package func enumValue<E: RawRepresentable>(_ column: String, table: String) throws -> E where E.RawValue == String {
        let raw = try text(column)
        guard let value = E(rawValue: raw) else {
            throw StoreError.database(operation: "reading \(table)", message: "unexpected \(column) '\(raw)'")
        }
        return value
    }
}
