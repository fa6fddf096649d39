import Foundation
import ScoringModelFormat

/// Scores a whole table of leads column by column, with the same numbers as ``LeadScorer``.
///
/// Categorical columns arrive dictionary-encoded, so each distinct text is mapped to a model level
/// once (a per-code table of level, points, β and reason impact) and rows only index tables; numeric
/// columns are transformed once per cell. η is summed in the weight file's term order, so every
/// probability equals ``LeadScorer``'s (and the lab's) bit for bit. Decay does not apply: a table
/// row carries its engagement counts as given.
public struct BatchScorer: Sendable {
    /// The single-lead scorer whose plan and reasons this reuses.
    public let scorer: LeadScorer

    public init(scorer: LeadScorer) { self.scorer = scorer }

    /// The columns a table must have (spec order): numeric features as ``BatchColumn/numeric(values:missing:)``,
    /// categorical ones as ``BatchColumn/text(codes:levels:)``.
    public var requiredColumns: [(name: String, numeric: Bool)] {
        scorer.plan.features.map { ($0.encoding.column, $0.encoding.type == .numeric) }
    }

    /// Scores `rowCount` rows.
    /// - Parameters:
    ///   - file: named in errors; `lineOfRow` gives the file line of each row (else row + 2 is assumed).
    /// - Throws: ``ScoringError/missingColumns(file:columns:)`` listing every absent column,
    ///   ``ScoringError/badCell(file:line:column:error:)`` for the first cell that cannot be encoded.
    /// - Precondition: each column has `rowCount` entries and the kind ``requiredColumns`` states.
    public func score(columns: [String: BatchColumn], rowCount n: Int, file: String,
                      lineOfRow: [Int]? = nil) throws(ScoringError) -> BatchScores {
        let plan = scorer.plan
        let absent = plan.features.map(\.encoding.column).filter { columns[$0] == nil }
        guard absent.isEmpty else { throw .missingColumns(file: file, columns: absent) }
        func line(_ row: Int) -> Int { lineOfRow.map { $0[row] } ?? row + 2 }

        var termColumns = [[Double]](repeating: [], count: plan.features.count)
        var missingColumns = [[Bool]](repeating: [], count: plan.features.count)
        var rawColumns = [[Double]](repeating: [], count: plan.features.count)
        var levelOfCode = [[Int32]](repeating: [], count: plan.features.count)
        var codeColumns = [[Int32]](repeating: [], count: plan.features.count)
        var unseen: [BatchScores.UnseenCount] = []
        var fit = [Double](repeating: 0, count: n), engagement = fit
        var topFeature = [Int32](repeating: -1, count: 3 * n)
        var topImpact = [Double](repeating: 0, count: 3 * n)

        for (f, feature) in plan.features.enumerated() {
            let encoding = feature.encoding
            guard let column = columns[encoding.column] else { continue }
            precondition(column.count == n, "column \(encoding.column) has \(column.count) rows, expected \(n)")
            var impact = [Double](repeating: 0, count: n)
            var points = [Double](repeating: 0, count: n)
            switch (encoding.type, column) {
            case (.numeric, .numeric(let values, let missing)):
                var terms = [Double](repeating: 0, count: n)
                let missingTerm: Double
                do { missingTerm = try encoding.numericTermValue(0) } catch {
                    throw .badCell(file: file, line: line(0), column: encoding.column, error: error)
                }
                for i in 0..<n {
                    if missing[i] {
                        guard encoding.missing == .zero || encoding.missing == .indicator else {
                            throw .badCell(file: file, line: line(i), column: encoding.column,
                                           error: .missingValue(column: encoding.column, rule: encoding.missing))
                        }
                        terms[i] = missingTerm
                    } else {
                        do { terms[i] = try encoding.numericTermValue(values[i]) } catch {
                            throw .badCell(file: file, line: line(i), column: encoding.column, error: error)
                        }
                    }
                    points[i] = plan.numericPoints(feature: f, term: terms[i], missing: missing[i])
                }
                impact = points
                termColumns[f] = terms
                missingColumns[f] = missing
                rawColumns[f] = values
            case (.categorical, .text(let codes, let levels)):
                var table = [Int32](repeating: 0, count: levels.count)
                var unseenName = [String?](repeating: nil, count: levels.count)
                for (code, raw) in levels.enumerated() {
                    let (level, wasUnseen) = encoding.modelLevel(forCell: raw)
                    table[code] = Int32(encoding.levels.firstIndex(of: level) ?? 0)
                    if wasUnseen { unseenName[code] = encoding.recodedCell(raw) }
                }
                let pointsOfCode = table.map { feature.levelPoints[Int($0)] }
                let impactOfCode = table.map { plan.levelImpact(feature: f, level: Int($0)) }
                var rowsOfCode = [Int](repeating: 0, count: levels.count)
                for i in 0..<n {
                    let code = Int(codes[i])
                    points[i] = pointsOfCode[code]
                    impact[i] = impactOfCode[code]
                    rowsOfCode[code] += 1
                }
                var counts: [String: Int] = [:]
                for code in levels.indices where rowsOfCode[code] > 0 {
                    if let name = unseenName[code] { counts[name, default: 0] += rowsOfCode[code] }
                }
                if !counts.isEmpty {
                    let mappedTo = encoding.levels.contains(otherLevel) ? otherLevel : (encoding.baseline ?? encoding.levels.first ?? "")
                    unseen.append(.init(column: encoding.column, counts: counts, scoredAs: mappedTo))
                }
                levelOfCode[f] = table
                codeColumns[f] = codes
            default:
                preconditionFailure("column \(encoding.column) must be \(encoding.type == .numeric ? ".numeric" : ".text")")
            }
            if feature.isEngagement {
                for i in 0..<n { engagement[i] += points[i] }
            } else {
                for i in 0..<n { fit[i] += points[i] }
            }
            Self.offer(feature: Int32(f), impact: impact, topFeature: &topFeature, topImpact: &topImpact)
        }

        var eta = [Double](repeating: plan.intercept, count: n)
        for step in plan.steps {
            switch step {
            case .value(let f):
                let beta = plan.features[f].valueBeta, terms = termColumns[f]
                for i in 0..<n { eta[i] += beta * terms[i] }
            case .indicator(let f):
                let beta = plan.features[f].indicatorBeta, missing = missingColumns[f]
                for i in 0..<n { eta[i] += beta * (missing[i] ? 1 : 0) }
            case .levels(let f, let beta, _):
                let betaOfCode = levelOfCode[f].map { beta[Int($0)] }, codes = codeColumns[f]
                for i in 0..<n { eta[i] += betaOfCode[Int(codes[i])] }
            }
        }
        let probability = eta.map(ScoringPlan.logistic)
        let scale = plan.scale
        let points = eta.map { scale.points(logOdds: $0) }
        return BatchScores(
            rowCount: n, probability: probability, logOdds: eta, points: points, fitPoints: fit,
            engagementPoints: engagement, unseenLevels: unseen, plan: plan, topFeature: topFeature,
            topImpact: topImpact, rawValues: rawColumns, missing: missingColumns, levelOfCode: levelOfCode,
            codes: codeColumns)
    }

    /// Inserts one feature's impacts into every row's top three (strictly larger |impact| wins,
    /// so on ties the earlier feature stays, as in ``TopReasons``).
    static func offer(feature: Int32, impact: [Double], topFeature: inout [Int32], topImpact: inout [Double]) {
        for i in impact.indices {
            let value = impact[i], size = abs(value)
            guard size > 0 else { continue }
            let base = 3 * i
            if size > abs(topImpact[base]) {
                topFeature[base + 2] = topFeature[base + 1]; topImpact[base + 2] = topImpact[base + 1]
                topFeature[base + 1] = topFeature[base]; topImpact[base + 1] = topImpact[base]
                topFeature[base] = feature; topImpact[base] = value
            } else if size > abs(topImpact[base + 1]) {
                topFeature[base + 2] = topFeature[base + 1]; topImpact[base + 2] = topImpact[base + 1]
                topFeature[base + 1] = feature; topImpact[base + 1] = value
            } else if size > abs(topImpact[base + 2]) {
                topFeature[base + 2] = feature; topImpact[base + 2] = value
            }
        }
    }
}
