import BatonSupport
import LabStatistics
import LeadCSV
import ScoringModelFormat

/// A problem turning a CSV file and a spec into model inputs. Every case names the file;
/// cell-level cases name the 1-based line and the column. `description` says what is wrong
/// and what to do.
package enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Reading the CSV failed (bad quoting, unknown column, bad number, ...).
    case table(LeadTableError)
    /// A numeric cell the encoding rejects (missing under `missing: error`, log1p domain, ...).
    case cell(file: String, line: Int, error: CellEncodingError)
    /// An empty outcome cell.
    case missingOutcome(file: String, line: Int, column: String)
    /// No kept row has a positive outcome value.
    case noPositiveOutcomes(file: String, column: String, positive: [String], seen: [String])
    /// Every kept row has a positive outcome value.
    case onlyPositiveOutcomes(file: String, column: String, positive: [String])
    /// A case weight that is empty or negative.
    case badWeight(file: String, line: Int, column: String, value: String)
    /// The spec's baseline is not a level of the column.
    case baselineNotFound(file: String, column: String, baseline: String, levels: [String])
    /// The spec's baseline has fewer than `min_count` rows and was merged into `Other`.
    case baselineMerged(file: String, column: String, baseline: String, count: Int, minCount: Int, levels: [String])
    /// A categorical column with a single level after merging: its effect cannot be estimated.
    case singleLevel(file: String, column: String, level: String)
    /// A categorical cell that cannot be a level: a control character (NUL, CR, …), bytes that
    /// are not UTF-8, or longer than ``EncodingLearner/longestLevelBytes``.
    case badLevel(file: String, line: Int?, column: String, level: String, problem: String)
    /// More kept levels than ``EncodingLearner/mostLevels`` (a free-text or id column, or min_count too low).
    case tooManyLevels(file: String, column: String, count: Int, limit: Int)
    /// The row filter left no rows.
    case noRowsLeft(file: String, rowsRead: Int, dropped: [DroppedRows])
    /// A `transform: bins` feature whose bins cannot meet the spec's constraints.
    case binning(file: String, column: String, error: BinningError)
    /// `transform: bins` in a streaming fit, which never holds a column to choose cut points from.
    case binsNeedInMemoryFit(file: String, column: String)
    /// `method: firth` in a streaming fit, whose passes never hold the rows the hat matrix needs.
    case firthNeedsInMemoryFit(file: String)

    package var description: String {
        switch self {
        case let .table(error):
            return error.description
        case let .cell(file, line, error):
            return "\(file) line \(line): \(error.problem)"
        case let .missingOutcome(file, line, column):
            return "\(file) line \(line): the outcome cell (\"\(column)\") is empty. Every row needs an outcome; fill it in or remove the row."
        case let .noPositiveOutcomes(file, column, positive, seen):
            return
                "\(file): no row has \"\(column)\" equal to \(quoted(positive)), so there is no closed-won lead to learn from. Values seen: \(quoted(Array(seen.prefix(10))))\(seen.count > 10 ? ", …" : ""). Fix `outcome.positive` in the spec (values are compared exactly, case included)."
        case let .onlyPositiveOutcomes(file, column, positive):
            return
                "\(file): every row has \"\(column)\" in \(quoted(positive)), so there is no closed-lost lead to learn from. Include lost leads, or fix `outcome.positive`."
        case let .badWeight(file, line, column, value):
            return value.isEmpty
                ? "\(file) line \(line): the case weight (\"\(column)\") is empty. Give every row a weight (1 = ordinary row)."
                : "\(file) line \(line): the case weight (\"\(column)\") is \(value); weights must be 0 or more. Fix the cell."
        case let .baselineNotFound(file, column, baseline, levels):
            return
                "\(file): baseline \"\(baseline)\" is not a level of \"\(column)\" (after recoding). Levels: \(quoted(levels)). Use one of them as `baseline`, or remove it to use the first in byte order."
        case let .baselineMerged(file, column, baseline, count, minCount, levels):
            return
                "\(file): baseline \"\(baseline)\" of \"\(column)\" has \(count) row\(count == 1 ? "" : "s"), fewer than min_count \(minCount), so it was merged into Other. Levels after merging: \(quoted(levels)). Pick a common level as baseline or lower min_count."
        case let .singleLevel(file, column, level):
            return
                "\(file): \"\(column)\" has only one level (\"\(level)\") in the rows used, so its effect cannot be estimated. Drop the feature from the spec (or lower min_count if rare levels were merged)."
        case let .badLevel(file, line, column, level, problem):
            let shown = level.utf8.count > 60 ? String(level.unicodeScalars.prefix(40)).debugDescription + "…" : level.debugDescription
            return
                "\(file)\(line.map { " line \($0)" } ?? ""), column \"\(column)\": the cell \(shown) \(problem). Clean the column (or `recode:` the value), or drop the feature if it holds free text."
        case let .tooManyLevels(file, column, count, limit):
            return
                "\(file): \"\(column)\" keeps \(count) levels, more than the \(limit) a scorecard can use. Raise `min_count` so rare levels merge into Other, `recode:` spellings together, or drop the feature if it is free text or an id."
        case let .binning(file, column, error):
            return "\(file): cannot bin \"\(column)\": \(error)"
        case let .binsNeedInMemoryFit(file, column):
            return
                "\(file): \"\(column)\" has `transform: bins`, whose cut points are chosen from the whole column, which a streaming fit never holds. Fit in memory (leave out --stream, or raise --memory-budget), or give `cuts:` and bin the column before the fit."
        case let .firthNeedsInMemoryFit(file):
            return
                "\(file): Firth's penalised likelihood (`method: firth`) needs every row's hat value on every step, which a streaming fit never holds. Fit in memory (leave out --stream, or raise --memory-budget), or use `method: ml` with `penalty:`."
        case let .noRowsLeft(file, rowsRead, dropped):
            let detail = dropped.map { "\($0.rows) with empty \"\($0.column)\"" }.joined(separator: ", ")
            return
                "\(file): all \(rowsRead) rows were dropped (\(detail)). Use `missing: zero` or `missing: indicator` for those columns instead of drop_row."
        }
    }
}

/// Rows the `drop_row` rule removed because one column was empty (a row empty in several
/// such columns counts in each).
package struct DroppedRows: Sendable, Equatable {
    package var column: String
    package var rows: Int
    package init(column: String, rows: Int) {
        self.column = column
        self.rows = rows
    }
}
