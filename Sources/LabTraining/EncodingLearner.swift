import BatonSupport
import LabStatistics
import LeadCSV
import ScoringModelFormat

/// Learns each feature's encoding (levels, `Other` merges, baseline) from training rows.
package enum EncodingLearner {
    /// The columns a spec needs read: numeric features as numbers, categorical features and
    /// the outcome as dictionary-encoded text, the weight as numbers, id and time as raw text
    /// when `includeIdAndTime`; with `timeWindow` (and not `includeIdAndTime`) only the time
    /// column's least and greatest cell (`.bounds`), which is all the lab's fit needs.
    package static func columnRequests(
        for spec: ScoringSpec, outcome: Bool = true, includeIdAndTime: Bool = false,
        timeWindow: Bool = false
    ) -> [ColumnRequest] {
        var requests: [ColumnRequest] = spec.features.map { $0.type == .numeric ? .numeric($0.column) : .text($0.column) }
        if outcome { requests.append(.text(spec.outcome.column)) }
        if let weight = spec.weight { requests.append(.numeric(weight)) }
        if includeIdAndTime {
            if let id = spec.id { requests.append(.raw(id)) }
            if let time = spec.time { requests.append(.raw(time)) }
        } else if timeWindow, let time = spec.time {
            requests.append(.bounds(time))
        }
        return requests
    }

    /// One encoding per spec feature, learned on `rows` (the rows the filter kept).
    /// - Parameter outcomes: the 0/1 outcome of each of `rows`; needed (and only read) for
    ///   `transform: bins` features, whose cut points depend on it.
    package static func learn(
        features: [FeatureSpec], table: LeadTable, rows: [Int], outcomes: [Double] = []
    ) throws(DataError) -> [FeatureEncoding] {
        var encodings: [FeatureEncoding] = []
        for feature in features {
            switch feature.type {
            case .numeric where feature.transform == .bins:
                precondition(outcomes.count == rows.count, "binning needs one outcome per row")
                encodings.append(try learnBins(feature, column: table.numeric(feature.column), rows: rows, outcomes: outcomes, file: table.file))
            case .numeric:
                let missing = table.numeric(feature.column).missing
                encodings.append(learnNumeric(feature, anyMissing: rows.contains { missing[$0] }))
            case .categorical:
                encodings.append(
                    try learnCategorical(feature, column: table.text(feature.column), rows: rows, file: table.file, lineOfRow: table.lineOfRow))
            }
        }
        return encodings
    }

    /// A numeric feature's encoding. Under `missing: indicator` with no empty cell in the kept
    /// rows the indicator is dropped (``FeatureEncoding/dropMissingIndicator()``): it would be
    /// a constant 0 term, which maximum likelihood cannot estimate next to the intercept.
    static func learnNumeric(_ feature: FeatureSpec, anyMissing: Bool) -> FeatureEncoding {
        var encoding = FeatureEncoding(
            column: feature.column, type: .numeric, group: feature.group,
            transform: feature.transform, missing: feature.missing)
        if feature.missing == .indicator, !anyMissing { encoding.dropMissingIndicator() }
        return encoding
    }

    /// A `transform: bins` feature: the cut points (``MonotoneBinning``, or the spec's `cuts:`
    /// checked against the same constraints), each bin's counts, WoE and IV. Empty cells are
    /// their own bin under `missing: indicator` (dropped, as for any indicator, when training has
    /// none), the value 0 under `zero`; `error`/`drop_row` leave none here.
    static func learnBins(
        _ feature: FeatureSpec, column: NumericColumn, rows: [Int], outcomes: [Double], file: String
    ) throws(DataError) -> FeatureEncoding {
        let values: [Double?] = rows.map { row in
            column.missing[row] ? (feature.missing == .zero ? 0 : nil) : column.values[row]
        }
        let maxBins = feature.maxBins ?? max(FeatureSpec.defaultMaxBins, (feature.cuts?.count ?? 0) + 1)
        let options = MonotoneBinning.Options(
            trend: MonotoneBinning.Trend(rawValue: (feature.monotone ?? FeatureSpec.defaultMonotone).rawValue) ?? .auto,
            maxBins: maxBins, minBinShare: feature.minBinShare ?? FeatureSpec.defaultMinBinShare)
        let result: MonotoneBinning.Result
        do throws(BinningError) {
            if let cuts = feature.cuts {
                result = try MonotoneBinning.check(cuts: cuts, values: values, outcomes: outcomes, options: options)
            } else {
                result = try MonotoneBinning.choose(values: values, outcomes: outcomes, options: options)
            }
            let missing = result.table.missing
            if feature.missing == .indicator, missing.rows > 0, missing.won == 0 || missing.lost == 0 {
                throw BinningError.missingBinOneClass(rows: missing.rows, won: missing.won)
            }
        } catch {
            throw .binning(file: file, column: feature.column, error: error)
        }
        guard !result.cuts.isEmpty else {
            throw .binning(
                file: file, column: feature.column,
                error: .infeasible(
                    trend: options.trend, maxBins: maxBins, minBinShare: options.minBinShare, rows: Double(rows.count),
                    won: outcomes.reduce(0, +), lost: Double(rows.count) - outcomes.reduce(0, +)))
        }
        func statistics(_ row: BinTable.Row) -> BinStatistics {
            BinStatistics(rows: Int(exactly: row.rows) ?? 0, won: Int(exactly: row.won) ?? 0, woe: row.woe, iv: row.iv)
        }
        let whole = result.cuts.allSatisfy { $0 == $0.rounded() } && values.allSatisfy { $0.map { $0 == $0.rounded() } ?? true }
        let bins = NumericBins(
            cuts: result.cuts, monotone: MonotoneTrend(rawValue: result.trend.rawValue) ?? .none, given: feature.cuts != nil,
            wholeNumbers: whole, statistics: result.table.bins.map(statistics),
            missingStatistics: result.table.missing.rows > 0 ? statistics(result.table.missing) : nil,
            informationValue: result.table.informationValue)
        var encoding = FeatureEncoding(
            column: feature.column, type: .numeric, group: feature.group, transform: .bins, missing: feature.missing)
        encoding.bins = bins
        if feature.missing == .indicator, result.table.missing.rows == 0 { encoding.dropMissingIndicator() }
        return encoding
    }

    /// The longest categorical cell, in UTF-8 bytes: a level is a label (an industry, a source),
    /// and a bound keeps a stray free-text cell from becoming a megabyte-sized term name.
    package static let longestLevelBytes = 256
    /// The most levels one feature may keep after merging (each is a model term).
    package static let mostLevels = 1000

    /// Why a raw cell cannot be a level (nil when it can).
    static func levelProblem(_ raw: String) -> String? {
        if raw.utf8.count > longestLevelBytes { return "is \(raw.utf8.count) bytes long; a level has at most \(longestLevelBytes) bytes" }
        if raw.unicodeScalars.contains("\u{FFFD}") { return "is not valid UTF-8 (save the file as UTF-8)" }
        if let bad = raw.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            return "holds the control character U+\(String(format: "%04X", bad.value)); a level is printable text"
        }
        return nil
    }

    /// Recode, `Missing`, count, merge rare levels into `Other`, sort bytewise, pick the baseline.
    static func learnCategorical(
        _ feature: FeatureSpec, column: TextColumn, rows: [Int], file: String, lineOfRow: ColumnStorage<Int> = []
    ) throws(DataError) -> FeatureEncoding {
        var codeCounts = [Int](repeating: 0, count: column.levels.count)
        for row in rows { codeCounts[Int(column.codes[row])] += 1 }
        for (code, level) in column.levels.enumerated() where codeCounts[code] > 0 {
            guard let problem = levelProblem(level) else { continue }
            let row = rows.first { Int(column.codes[$0]) == code }
            let line = row.flatMap { $0 < lineOfRow.count ? lineOfRow[$0] : nil }
            throw .badLevel(file: file, line: line, column: feature.column, level: level, problem: problem)
        }
        let rawCounts = column.levels.enumerated().map { (level: $0.element, count: codeCounts[$0.offset]) }
        return try learnCategorical(feature, rawCounts: rawCounts, file: file)
    }

    /// ``learnCategorical(_:column:rows:file:)`` from the rows per raw (trimmed, un-recoded) cell
    /// text; a streaming pass accumulates these block by block.
    static func learnCategorical(_ feature: FeatureSpec, rawCounts: [(level: String, count: Int)], file: String) throws(DataError) -> FeatureEncoding
    {
        var counts: [String: Int] = [:]
        for (raw, count) in rawCounts where count > 0 {
            if let problem = levelProblem(raw) { throw .badLevel(file: file, line: nil, column: feature.column, level: raw, problem: problem) }
            var level = feature.recode[raw] ?? raw
            if level.isEmpty { level = missingLevel }
            counts[level, default: 0] += count
        }
        var merged: [String: Int] = [:]
        var kept: Set<String> = []
        for (level, count) in counts {
            if count < feature.minCount && level != otherLevel {
                merged[level] = count
            } else {
                kept.insert(level)
            }
        }
        if !merged.isEmpty { kept.insert(otherLevel) }
        let levels = kept.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard levels.count <= mostLevels else { throw .tooManyLevels(file: file, column: feature.column, count: levels.count, limit: mostLevels) }
        guard levels.count >= 2 else {
            throw .singleLevel(file: file, column: feature.column, level: levels.first ?? missingLevel)
        }
        var baseline = levels[0]
        if let wanted = feature.baseline {
            if let count = merged[wanted] {
                throw .baselineMerged(
                    file: file, column: feature.column, baseline: wanted, count: count,
                    minCount: feature.minCount, levels: levels)
            }
            guard levels.contains(wanted) else {
                throw .baselineNotFound(file: file, column: feature.column, baseline: wanted, levels: levels)
            }
            baseline = wanted
        }
        return FeatureEncoding(
            column: feature.column, type: .categorical, group: feature.group,
            recode: feature.recode, levels: levels, baseline: baseline,
            mergedIntoOther: merged, minCount: feature.minCount)
    }
}
