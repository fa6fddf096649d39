/// The store's schema history: the one list of migration names, in order, that every backend
/// translates into its own statements (`Schema` for SQLite, `PostgresSchema` for PostgreSQL).
///
/// Append only: never edit, rename or remove a name that has shipped; a change of schema is a
/// new name at the end, with a translation in every backend (a backend without one fails at
/// open, and the store tests open every backend). The number prefix is the schema version a
/// database reaches after that migration, and what the newer-schema check reports.
package enum StoreMigrations {
    package static let names = [
        "0001-leads-events-scores",
        "0002-qualification-routing",
        "0003-sla-follow-up-revenue",
        "0004-model-registry-alerts",
        "0005-access-tokens",
        "0006-token-expiry-readiness",
        "0007-outbox-dead-letter",
        "0008-interactions",
        "0009-ledger-accounts",
        "0010-web-push",
        "0011-lead-merges",
    ]

    /// The schema version this build writes: the number of migrations.
    package static var version: Int { names.count }

    /// The version encoded in a migration name's number prefix ("0007-…" → 7), if any.
    package static func version(ofMigration name: String) -> Int? {
        Int(name.prefix { $0.isNumber })
    }
}
