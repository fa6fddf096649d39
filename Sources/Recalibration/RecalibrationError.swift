import LabTraining

/// Everything that can stop a recalibration run. Each case names the file (and the line and
/// column for cell problems); ``description`` says what went wrong and what to change.
package enum RecalibrationError: Error, CustomStringConvertible, Sendable {
    /// Reading the spec, the data or the champion, or fitting, failed in the lab.
    case lab(LabError)
    /// The spec has no `time` column, so there is nothing to split by.
    case noTimeColumn(spec: String)
    /// A time cell that is empty or not ISO 8601.
    case badTime(file: String, line: Int, column: String, value: String)
    /// `--as-of` leaves no complete, matured quarter after the first lead.
    case noMaturedQuarter(file: String, asOf: String, outcomeWindowDays: Int, firstLead: String)
    /// A window has too few matured outcomes to fit or to judge.
    case tooFewOutcomes(window: String, span: String, rows: Int, positives: Int, negatives: Int, minimum: Int, advice: String)
    /// The test quarter has leads but none converted.
    case noPositivesInTest(file: String, quarter: String, rows: Int, column: String, positive: [String])
    /// The champion cannot be scored on this data or compared with this spec.
    case championMismatch(champion: String, detail: String)
    /// The capacity / target constraints cannot be met on the test quarter.
    case threshold(ThresholdChoiceError)
    /// Writing the output folder failed.
    case output(path: String, detail: String)
    /// `--out` already exists: an earlier run's folder (replaced only with `--force`), or a
    /// folder that is not a run's (never replaced).
    case outputExists(path: String, earlierRun: Bool)
    /// Closed testing of the model updates could not run (the rest of the run stands).
    case closedTesting(ClosedTestingError)

    /// True when the input's content is at fault (exit code 65).
    package var isBadData: Bool {
        switch self {
        case let .lab(error): return error.isBadData
        case .output, .outputExists: return false
        default: return true
        }
    }

    package var description: String {
        switch self {
        case let .lab(error): return error.description
        case let .closedTesting(error): return "closed testing: \(error)"
        case let .noTimeColumn(spec):
            return "\(spec): the spec names no `time` column, so leads cannot be split by quarter. Add `time: <creation time column>` to the spec."
        case let .badTime(file, line, column, value):
            return value.isEmpty
                ? "\(file) line \(line), column \"\(column)\": the creation time is empty. Every lead needs one (ISO 8601, e.g. 2025-04-17 or 2025-04-17T09:30:00Z); fill it in or remove the row."
                : "\(file) line \(line), column \"\(column)\": \"\(value)\" is not an ISO 8601 date or date-time (e.g. 2025-04-17, 2025-04-17T09:30:00Z, 2025-04-17T09:30:00+02:00). Fix the cell or export the column in ISO 8601."
        case let .noMaturedQuarter(file, asOf, window, first):
            return
                "\(file): with --as-of \(asOf) and a \(window)-day outcome window, no complete quarter whose outcomes have matured starts after the first lead (\(first)). Use a later --as-of, a shorter --outcome-window-days, or data with a longer history."
        case let .tooFewOutcomes(window, span, rows, positives, negatives, minimum, advice):
            return
                "the \(window) window (\(span)) has \(rows) matured leads, \(positives) won and \(negatives) lost; at least \(minimum) of each are needed. \(advice)"
        case let .noPositivesInTest(file, quarter, rows, column, positive):
            return
                "\(file): none of the \(rows) leads of the test quarter \(quarter) has \"\(column)\" in \(positive.map { "\"\($0)\"" }.joined(separator: ", ")), so discrimination and calibration cannot be checked there. Check that outcomes of that quarter have been recorded (or use an earlier --as-of)."
        case let .championMismatch(champion, detail):
            return
                "champion \(champion) does not match the data or the spec: \(detail). Pass the weight file fitted for this spec, or omit --champion for a first run."
        case let .threshold(error): return error.description
        case let .output(path, detail):
            return "cannot write \(path): \(detail); check the folder exists and is writable"
        case let .outputExists(path, earlierRun):
            return earlierRun
                ? "\(path) holds an earlier recalibration run, kept as it is. Choose a new --out (one folder per run keeps the history), or pass --force to replace it once the new run is complete."
                : "\(path) exists and is not the output of an earlier recalibration run, so it is left alone. Choose a new --out."
        }
    }
}
