import Foundation
import LabStatistics
import TestSupport
import Testing

/// Runs `body` and returns the `MetricsError` it threw, or nil if it returned.
/// (Closures infer untyped `throws`, so any other error is recorded as a failure.)
func metricsError<T>(_ body: () throws -> T) -> MetricsError? {
    do {
        _ = try body()
        return nil
    } catch let error as MetricsError {
        return error
    } catch {
        Issue.record("expected a MetricsError, got \(error)")
        return nil
    }
}

/// The synthetic 10k leads with the reference's unpenalised coefficients applied:
/// p = 1 / (1 + exp(−Xβ)), X built from the CSV in the order of `dataset.columns`.
struct SyntheticReferenceScores {
    let probabilities: [Double]
    let outcomes: [Double]
    let metrics: [String: Any]

    static func load() throws -> SyntheticReferenceScores {
        let reference = try SharedData.json("reference/synthetic/reference_10k.json")
        guard let dataset = reference["dataset"] as? [String: Any],
            let columns = dataset["columns"] as? [String],
            let fits = reference["reference"] as? [String: Any],
            let unpenalised = fits["unpenalised"] as? [String: Any],
            let beta = unpenalised["coef"] as? [Double],
            let metrics = reference["metrics_in_sample_unpenalised"] as? [String: Any],
            beta.count == columns.count
        else { throw SharedDataError("reference_10k.json lacks dataset.columns / reference.unpenalised.coef / metrics") }

        let text = try String(contentsOf: SharedData.syntheticReferenceCSV(rows: 10000), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else { throw SharedDataError("empty synthetic CSV") }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let position = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        guard let wonColumn = position["won"] else { throw SharedDataError("no won column") }

        // Each design column as (CSV column, how to turn its field into a number).
        enum Term { case intercept, dummy(Int, Substring), log1pCount(Int) }
        let terms: [Term] = try columns.map { name in
            if name == "intercept" { return .intercept }
            if name.hasPrefix("log1p("), name.hasSuffix(")") {
                let raw = String(name.dropFirst(6).dropLast())
                guard let column = position[raw] else { throw SharedDataError("no column \(raw)") }
                return .log1pCount(column)
            }
            let parts = name.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let column = position[String(parts[0])] else {
                throw SharedDataError("cannot map design column \(name)")
            }
            return .dummy(column, parts[1])
        }

        var probabilities: [Double] = []
        var outcomes: [Double] = []
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            var eta = 0.0
            for (term, coefficient) in zip(terms, beta) {
                let x: Double
                switch term {
                case .intercept: x = 1
                case .dummy(let column, let level): x = fields[column] == level ? 1 : 0
                case .log1pCount(let column):
                    guard let count = Double(fields[column]) else { throw SharedDataError("bad count \(fields[column])") }
                    x = log1p(count)
                }
                eta += x * coefficient
            }
            probabilities.append(1 / (1 + exp(-eta)))
            guard let won = Double(fields[wonColumn]) else { throw SharedDataError("bad won \(fields[wonColumn])") }
            outcomes.append(won)
        }
        return SyntheticReferenceScores(probabilities: probabilities, outcomes: outcomes, metrics: metrics)
    }
}
