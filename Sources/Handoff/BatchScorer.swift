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
        // Row sums and top-three lists are filled in the same loop that computes each feature's
        // points, so every feature is one pass over its column (no per-feature points arrays).
        let fit = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
        let engagement = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
        let topFeature = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, 3 * n))
        let topImpact = UnsafeMutablePointer<Double>.allocate(capacity: max(1, 3 * n))
        defer {
            fit.deallocate()
            engagement.deallocate()
            topFeature.deallocate()
            topImpact.deallocate()
        }
        fit.initialize(repeating: 0, count: n)
        engagement.initialize(repeating: 0, count: n)
        topFeature.initialize(repeating: -1, count: 3 * n)
        topImpact.initialize(repeating: 0, count: 3 * n)

        for (f, feature) in plan.features.enumerated() {
            let encoding = feature.encoding
            guard let column = columns[encoding.column] else { continue }
            precondition(column.count == n, "column \(encoding.column) has \(column.count) rows, expected \(n)")
            let total = feature.isEngagement ? engagement : fit
            let tag = Int32(f)
            switch (encoding.type, column) {
            case (.numeric, .numeric(let values, let missing)):
                var terms = [Double](repeating: 0, count: n)
                let missingTerm: Double
                do { missingTerm = try encoding.numericTermValue(0) } catch {
                    throw .badCell(file: file, line: line(0), column: encoding.column, error: error)
                }
                // Counts are mostly small whole numbers: their term values come from a table filled
                // by the same function, so each cell equals `numericTermValue` bit for bit.
                let wholeTerms = Self.wholeNumberTerms(encoding)
                let valuePoints = feature.valuePoints, indicatorPoints = feature.indicatorPoints
                let missingAllowed = encoding.missing == .zero || encoding.missing == .indicator
                try terms.withUnsafeMutableBufferPointer { (terms) throws(ScoringError) in
                        for i in 0..<n {
                            let term: Double
                            if missing[i] {
                                guard missingAllowed else {
                                    throw .badCell(file: file, line: line(i), column: encoding.column,
                                                   error: .missingValue(column: encoding.column, rule: encoding.missing))
                                }
                                term = missingTerm
                            } else {
                                let x = values[i]
                                if x >= 0, x < Double(wholeTerms.count), let whole = Int(exactly: x) {
                                    term = wholeTerms[whole]
                                } else {
                                    do throws(EncodingError) { term = try encoding.numericTermValue(x) } catch {
                                        throw .badCell(file: file, line: line(i), column: encoding.column, error: error)
                                    }
                                }
                            }
                            terms[i] = term
                            // The expression of ScoringPlan.numericPoints, with the feature's constants hoisted.
                            let points = valuePoints * term + (missing[i] ? indicatorPoints : 0)
                            total[i] += points
                            Self.offer(feature: tag, impact: points, row: i, topFeature: topFeature, topImpact: topImpact)
                        }
                }
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
                    total[i] += pointsOfCode[code]
                    Self.offer(feature: tag, impact: impactOfCode[code], row: i, topFeature: topFeature, topImpact: topImpact)
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
        let scorePoints = eta.map { scale.points(logOdds: $0) }
        return BatchScores(
            rowCount: n, probability: probability, logOdds: eta, points: scorePoints,
            fitPoints: Array(UnsafeBufferPointer(start: fit, count: n)),
            engagementPoints: Array(UnsafeBufferPointer(start: engagement, count: n)), unseenLevels: unseen, plan: plan,
            topFeature: Array(UnsafeBufferPointer(start: topFeature, count: 3 * n)),
            topImpact: Array(UnsafeBufferPointer(start: topImpact, count: 3 * n)), rawValues: rawColumns, missing: missingColumns, levelOfCode: levelOfCode,
            codes: codeColumns)
    }

    /// `numericTermValue(k)` for k = 0 ..< 1024 (empty if the transform rejects any of them).
    static func wholeNumberTerms(_ encoding: FeatureEncoding) -> [Double] {
        var table: [Double] = []
        table.reserveCapacity(1024)
        for k in 0..<1024 {
            guard let value = try? encoding.numericTermValue(Double(k)) else { return [] }
            table.append(value)
        }
        return table
    }

    /// Inserts one feature's impact into row `row`'s top three (strictly larger |impact| wins,
    /// so on ties the earlier feature stays, as in ``TopReasons``).
    @inline(__always)
    static func offer(feature: Int32, impact value: Double, row: Int, topFeature: UnsafeMutablePointer<Int32>,
                      topImpact: UnsafeMutablePointer<Double>) {
        let size = abs(value)
        let base = 3 * row
        // The third place is the smallest: most impacts stop here once a row has three.
        guard size > abs(topImpact[base + 2]) else { return }
        if size > abs(topImpact[base]) {
            topFeature[base + 2] = topFeature[base + 1]; topImpact[base + 2] = topImpact[base + 1]
            topFeature[base + 1] = topFeature[base]; topImpact[base + 1] = topImpact[base]
            topFeature[base] = feature; topImpact[base] = value
        } else if size > abs(topImpact[base + 1]) {
            topFeature[base + 2] = topFeature[base + 1]; topImpact[base + 2] = topImpact[base + 1]
            topFeature[base + 1] = feature; topImpact[base + 1] = value
        } else {
            topFeature[base + 2] = feature; topImpact[base + 2] = value
        }
    }
}
