import Foundation
import HandoffPersistence

/// Where a PostgreSQL hand-off store lives, parsed from a `postgres://` URL.
///
/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`
/// (`postgresql://` too). The port defaults to 5432, the user to `postgres`, and `sslmode` to
/// `prefer` as with libpq. Without a password in the URL (which `ps` would show), it comes from
/// `PGPASSWORD`, else from libpq's password file (`PGPASSFILE` or `~/.pgpass`, see
/// ``PostgresPasswordFile``). ``description`` never contains the password, so the location can
/// appear in errors and logs.
package struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// Transport security, as libpq's `sslmode`.
    package enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP (a loopback or private network).
        case disable
        /// TLS when the server offers it, plain TCP otherwise.
        case prefer
        /// TLS or fail.
        case require
    }

    package var host: String
    package var port: Int
    package var user: String
    package var password: String?
    package var database: String
    package var tls: TLSMode

    package init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String, tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// True when `text` is a PostgreSQL URL rather than a file path.
    package static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL.
    ///
    /// - Throws: ``StoreError/invalidField(record:field:reason:)`` naming the part of the URL that is wrong.
    package static func parse(
        _ text: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StoreError) -> PostgresLocation {
        let record = "database URL"
        guard isPostgresURL(text), let components = URLComponents(string: text) else {
            throw .invalidField(
                record: record, field: "--db",
                reason: "is not a postgres://user@host:port/database URL; write it like postgres://baton@127.0.0.1:5432/baton")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidField(record: record, field: "host", reason: "is missing; write postgres://user@HOST:port/database")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw .invalidField(
                record: record, field: "database",
                reason: "is missing or not one name; write postgres://user@host:port/DATABASE")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw .invalidField(record: record, field: "port", reason: "is \(port), outside 1…65535")
        }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw .invalidField(
                        record: record, field: "sslmode",
                        reason: "is '\(item.value ?? "")'; use disable, prefer or require")
                }
                tls = mode
            default:
                throw .invalidField(record: record, field: item.name, reason: "is not a setting Baton reads; only sslmode is")
            }
        }
        let user = components.user.flatMap { $0.removingPercentEncoding ?? $0 } ?? "postgres"
        let password =
            components.password.flatMap { $0.removingPercentEncoding ?? $0 } ?? environment["PGPASSWORD"]
            ?? PostgresPasswordFile.path(environment: environment).flatMap {
                PostgresPasswordFile.password(host: host, port: port, database: database, user: user, path: $0)
            }
        return PostgresLocation(host: host, port: port, user: user, password: password, database: database, tls: tls)
    }

    /// `postgres://user@host:port/database`, without the password.
    package var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(hostPart):\(port)/\(database)"
    }

    /// The same server and user, another database (tests create one database each).
    package func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }
}
