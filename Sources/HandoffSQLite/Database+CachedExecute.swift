import GRDB
import HandoffPersistence

extension Database {
    /// Executes one fixed SQL statement (no interpolated values: the SQL text is the cache key)
    /// prepared once per connection. A replay writes the same dozen statements thousands of
    /// times; preparing each anew, with GRDB's authorizer pass, cost more than running it.
    func cachedExecute(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
