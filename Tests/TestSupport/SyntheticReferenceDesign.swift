import Foundation

/// The design of `../shared/reference/synthetic/reference_*.json`, rebuilt independently of
/// Baton's own CSV reader and encoder (plain split on commas; the generator never quotes):
/// `intercept`, `column=level` dummies in the reference's column order, `log1p(count)`.
public struct SyntheticReferenceDesign: @unchecked Sendable {  // immutable after load
    public let names: [String]
    /// Column-major values, rows × names.count.
    public let values: [Double]
    public let outcomes: [Double]
    public let rows: Int
    public let reference: [String: Any]

    public static func load(rows: Int = 10_000) throws -> SyntheticReferenceDesign {
        let label = "\(rows / 1000)k"
        let reference = try SharedData.json("reference/synthetic/reference_\(label).json")
        guard let dataset = reference["dataset"] as? [String: Any],
            let names = dataset["columns"] as? [String]
        else { throw SharedDataError("reference_\(label).json: no dataset.columns") }
        let text = try String(contentsOf: SharedData.syntheticReferenceCSV(rows: rows), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let index = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        guard let outcomeIndex = index["won"] else { throw SharedDataError("no won column") }
        let n = lines.count
        var values = [Double](repeating: 0, count: n * names.count)
        var outcomes = [Double](repeating: 0, count: n)
        // Resolve each design column to (source index, level or log1p).
        enum Source { case intercept, level(Int, Substring), log1p(Int) }
        var sources: [Source] = []
        for name in names {
            if name == "intercept" {
                sources.append(.intercept)
            } else if name.hasPrefix("log1p("), let column = index[String(name.dropFirst(6).dropLast())] {
                sources.append(.log1p(column))
            } else if let eq = name.firstIndex(of: "="), let column = index[String(name[..<eq])] {
                sources.append(.level(column, name[name.index(after: eq)...]))
            } else {
                throw SharedDataError("cannot resolve reference column \(name)")
            }
        }
        for (i, line) in lines.enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            outcomes[i] = Double(fields[outcomeIndex]) ?? .nan
            for (j, source) in sources.enumerated() {
                let v: Double
                switch source {
                case .intercept: v = 1
                case let .level(column, level): v = fields[column] == level ? 1 : 0
                case let .log1p(column): v = Foundation.log1p(Double(fields[column]) ?? .nan)
                }
                values[i + j * n] = v
            }
        }
        return SyntheticReferenceDesign(names: names, values: values, outcomes: outcomes, rows: n, reference: reference)
    }

    /// `reference.<fit>.coef` (e.g. `unpenalised`, `ridge_C1`).
    public func coefficients(_ fit: String) throws -> [Double] {
        guard let r = reference["reference"] as? [String: Any], let f = r[fit] as? [String: Any],
            let coef = f["coef"] as? [Double]
        else { throw SharedDataError("no reference.\(fit).coef") }
        return coef
    }

    /// `reference.<fit>.<key>` as a number.
    public func number(_ fit: String, _ key: String) throws -> Double {
        guard let r = reference["reference"] as? [String: Any], let f = r[fit] as? [String: Any],
            let v = f[key] as? Double
        else { throw SharedDataError("no reference.\(fit).\(key)") }
        return v
    }
}
