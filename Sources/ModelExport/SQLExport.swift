import ScoringModelFormat

/// The SQL dialect an exported expression targets.
///
/// All dialects get the same portable subset: `CASE`, `COALESCE`, `IS NULL`, `IN (…)`, `LN` and
/// (for probabilities) `EXP`. They differ only in how numbers are spelled:
/// - `standard` and `sqlite` write plain literals (`0.4125`, `1e-07`), which both parse as doubles.
/// - `postgreSQL` writes `0.4125::float8`: a bare decimal literal is `numeric` there, and mixing
///   exact decimal arithmetic with doubles would move the last digits of a score.
///
/// SQLite has `LN`/`EXP` only from 3.35 (2021) and only when built with `SQLITE_ENABLE_MATH_FUNCTIONS`
/// (the sqlite3 shell and most distributions do; some embedded builds do not). Where they are absent,
/// register them from the host language, e.g. Python `conn.create_function("LN", 1, math.log)`.
/// Expressions without `log1p` terms and without the probability output need no math functions.
package enum SQLDialect: String, Sendable, CaseIterable {
    case standard
    case postgreSQL = "postgresql"
    case sqlite
}

/// What the exported expression computes.
package enum SQLScoreOutput: String, Sendable, CaseIterable {
    /// Points: `offset + factor · η` (the weight file's scale).
    case points
    /// Log-odds η = β₀ + Σ βⱼ xⱼ.
    case logOdds = "log_odds"
    /// Probability of closed-won: `1.0/(1.0+EXP(-(η)))`.
    case probability
}

/// Turns a weight file into one SQL expression over the raw lead columns, for scoring in the warehouse.
///
/// The expression rebuilds every term exactly as ``FeatureEncoding`` describes:
/// - numeric, missing rule `zero`: `COALESCE("x", 0)`; rule `indicator`: the same, plus
///   `CASE WHEN "x" IS NULL THEN 1 ELSE 0 END` for `missing(x)`; rules `drop_row` and `error`:
///   the bare column, so a NULL makes the whole score NULL (that lead cannot be scored);
/// - `log1p`: `LN(1 + …)`;
/// - bins: one `CASE` per feature, `WHEN x IS NULL THEN <Missing bin, or the bin of 0 under
///   zero, or NULL under error/drop_row> WHEN x < c₁ THEN 0 WHEN x < c₂ THEN … ELSE <last bin>`;
/// - categorical: one `CASE` over the raw value per feature, with the recode map applied, a NULL
///   or empty cell as level `Missing`, and a value merged into `Other` or never seen in training
///   scored as `Other` when the model has that level, else as the baseline (0 points).
///
/// Missing numeric cells must be NULL in the table (load empty CSV cells as NULL); categorical
/// columns must be text, compared exactly (no trimming or case folding). Identifiers are
/// double-quoted (embedded `"` doubled), strings single-quoted (embedded `'` doubled), and
/// numbers written in their shortest round-trip form.
package enum SQLExport {
    /// One SQL expression computing `output` for a row of raw columns.
    /// - Throws: ``WeightFileError/inconsistent(file:detail:)`` when a term cannot be rebuilt from
    ///   the encodings (a file that passed ``WeightFile/validate(file:)`` always can).
    package static func scoreExpression(
        for weights: WeightFile, dialect: SQLDialect = .standard, output: SQLScoreOutput = .points
    ) throws -> String {
        let writer = SQLWriter(dialect: dialect)
        // Points use factor·β per term and fold factor·β₀ into the offset; log-odds use β.
        let usesPoints = output == .points
        let constant = usesPoints ? weights.baseScore : weights.intercept
        func coefficient(_ term: WeightedTerm) -> Double { usesPoints ? term.pointsPerUnit : term.estimate }

        var parts: [String] = [writer.number(constant)]
        var doneColumns = Set<String>()
        for term in weights.model where term.kind != .intercept {
            guard let column = term.column, let encoding = weights.encoding(for: column) else {
                throw WeightFileError.inconsistent(file: "weights", detail: "term \"\(term.name)\" has no encoding")
            }
            switch term.kind {
            case .intercept:
                continue
            case .numeric:
                parts.append("\(writer.number(coefficient(term))) * \(writer.numericValue(encoding))")
            case .missingIndicator:
                parts.append("\(writer.number(coefficient(term))) * (CASE WHEN \(writer.identifier(column)) IS NULL THEN 1 ELSE 0 END)")
            case .level:
                // All of a column's level terms go into one CASE, placed where its first term is.
                guard doneColumns.insert(column).inserted else { continue }
                let levelTerms = weights.model.filter { $0.kind == .level && $0.column == column }
                var values: [String: Double] = [:]
                for levelTerm in levelTerms {
                    guard let level = levelTerm.level else {
                        throw WeightFileError.inconsistent(file: "weights", detail: "level term \"\(levelTerm.name)\" has no level")
                    }
                    values[level] = coefficient(levelTerm)
                }
                parts.append(writer.levelCase(encoding, values: values))
            case .bin:
                // All of a column's bin terms go into one CASE over the value, placed where its first term is.
                guard doneColumns.insert(column).inserted else { continue }
                var values: [String: Double] = [:]
                for binTerm in weights.model where binTerm.kind == .bin && binTerm.column == column {
                    guard let level = binTerm.level else {
                        throw WeightFileError.inconsistent(file: "weights", detail: "bin term \"\(binTerm.name)\" has no bin")
                    }
                    values[level] = coefficient(binTerm)
                }
                parts.append(try writer.binCase(encoding, values: values))
            }
        }
        let sum = "(" + parts.joined(separator: " + ") + ")"
        switch output {
        case .points, .logOdds: return sum
        case .probability: return "1.0/(1.0+EXP(-\(sum)))"
        }
    }

    /// `SELECT <id>, <expression> AS <alias> FROM <table>`: a ready query (the id column is
    /// included when the spec names one).
    package static func selectStatement(
        for weights: WeightFile, table: String, dialect: SQLDialect = .standard, output: SQLScoreOutput = .points,
        alias: String = "score"
    ) throws -> String {
        let writer = SQLWriter(dialect: dialect)
        let expression = try scoreExpression(for: weights, dialect: dialect, output: output)
        var columns = [String]()
        if let id = weights.spec.id { columns.append(writer.identifier(id)) }
        columns.append("\(expression) AS \(writer.identifier(alias))")
        return "SELECT " + columns.joined(separator: ", ") + " FROM " + writer.identifier(table)
    }
}
