#if canImport(Glibc)
import BatonSupport
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The model flattened into lookup tables, so the per-row loop does no dictionary, string or
/// reference-counting work (nested arrays of structs cost a retain/release per access).
struct GenerationPlan {
    struct CountTable {
        var baseMean: Double
        var sensitivity: Double
        var shape: Double
        var coefficient: Double
        var cap: Int
    }

    let intercept: Double
    /// Per categorical column `c`, its levels occupy `levelStart[c] ..< levelStart[c + 1]` of the flat tables.
    let levelStart: [Int]
    /// Cumulative sampling probability of each level (the column's last is exactly 1).
    let cumulative: [Double]
    /// Coefficient of each level's term (0 for the baseline).
    let levelCoefficient: [Double]
    /// Each level's name occupies `nameStart[l] ..< nameStart[l + 1]` of `nameBytes`.
    let nameStart: [Int]
    let nameBytes: [UInt8]
    let counts: [CountTable]
    let timelineIndex: Int
    let seniorityIndex: Int
    let clicksIndex: Int
    let opensIndex: Int
    /// log1p(k) for small k: most counts are small and log1p is the hot spot of a row.
    let log1pTable: [Double] = (0..<256).map { log1p(Double($0)) }

    /// Flat tables hold one regime (the market before the drift) or two (before, then after):
    /// the drifted regime's levels start at ``driftLevelOffset`` and its counts at ``driftCountOffset``.
    let driftLevelOffset: Int
    let driftCountOffset: Int
    let driftStartSecond: Double?
    let driftIntercept: Double
    let windowSeconds: Int

    init(options: SyntheticOptions = .init()) {
        let regimes: [(categoricals: [SyntheticLeads.Categorical], counts: [SyntheticLeads.Count])] =
            options.driftStartDay == nil
            ? [(SyntheticLeads.categoricals, SyntheticLeads.counts)]
            : [(SyntheticLeads.categoricals, SyntheticLeads.counts), (SyntheticDrift.categoricals, SyntheticDrift.counts)]
        var levelStart = [0]
        var cumulative: [Double] = []
        var levelCoefficient: [Double] = []
        var nameStart = [0]
        var nameBytes: [UInt8] = []
        var counts: [CountTable] = []
        var intercepts: [Double] = []
        for tables in regimes {
            let terms = SyntheticLeads.trueTerms(categoricals: tables.categoricals, counts: tables.counts)
            let byName = Dictionary(terms.map { ($0.name, $0.coefficient) }, uniquingKeysWith: { first, _ in first })
            // A drifted baseline effect (content_syndication, c_level) moves the regime's intercept.
            intercepts.append(byName["(intercept)"] ?? 0)
            for categorical in tables.categoricals {
                var running = 0.0
                let total = categorical.levels.reduce(0) { $0 + $1.weight }
                for level in categorical.levels {
                    running += level.weight / total
                    cumulative.append(running)
                    levelCoefficient.append(byName["\(categorical.column)=\(level.name)"] ?? 0)
                    if intercepts.count == 1 {  // names once, from the first regime
                        nameBytes.append(contentsOf: Array(level.name.utf8))
                        nameStart.append(nameBytes.count)
                    }
                }
                cumulative[cumulative.count - 1] = 1  // rounding must never leave a gap at the top
                levelStart.append(cumulative.count)
            }
            counts += tables.counts.map {
                CountTable(
                    baseMean: $0.baseMean, sensitivity: $0.intentSensitivity, shape: $0.shape,
                    coefficient: $0.coefficient, cap: $0.cap ?? Int.max)
            }
        }
        intercept = intercepts[0]
        driftIntercept = intercepts.last ?? intercepts[0]
        let columnCount = SyntheticLeads.categoricals.count
        self.levelStart = Array(levelStart.prefix(columnCount + 1))
        driftLevelOffset = levelStart[columnCount]
        driftCountOffset = SyntheticLeads.counts.count
        self.cumulative = cumulative
        self.levelCoefficient = levelCoefficient
        self.nameStart = nameStart
        self.nameBytes = nameBytes
        self.counts = counts
        let categoricalColumns = SyntheticLeads.categoricals.map(\.column)
        let countColumns = SyntheticLeads.counts.map(\.column)
        timelineIndex = categoricalColumns.firstIndex(of: "purchase_timeline") ?? 0
        seniorityIndex = categoricalColumns.firstIndex(of: "job_seniority") ?? 0
        clicksIndex = countColumns.firstIndex(of: SyntheticLeads.clippedPair.clicks) ?? 0
        opensIndex = countColumns.firstIndex(of: SyntheticLeads.clippedPair.opens) ?? 0
        windowSeconds = options.windowSeconds
        driftStartSecond = options.driftStartDay.map { Double(($0 - SyntheticLeads.windowStartDay) * 86_400) }
    }

    /// Appends `count` CSV rows of block `block` to `out`; returns the wins and the sum of true probabilities.
    func writeBlock(
        _ block: Int, firstRow: Int, count: Int, totalRows: Int, seed: UInt64, into out: inout [UInt8]
    ) -> (positives: Int, probabilitySum: Double, driftedRows: Int) {
        var sampler = SyntheticSampler(seed: seed, stream: UInt64(block))
        var positives = 0
        var probabilitySum = 0.0
        var driftedRows = 0
        let columnCount = levelStart.count - 1
        var levelIndex = [Int](repeating: 0, count: columnCount)  // global index into the flat tables
        var countValues = [Int](repeating: 0, count: driftCountOffset)
        let secondsPerRow = Double(windowSeconds) / Double(totalRows)
        let timelineStart = levelStart[timelineIndex]
        let seniorityStart = levelStart[seniorityIndex]
        for offset in 0..<count {
            let row = firstRow + offset
            // A row belongs to the drifted market when its time slot starts on or after the drift.
            let drifted = driftStartSecond.map { Double(row) * secondsPerRow >= $0 } ?? false
            let levelOffset = drifted ? driftLevelOffset : 0
            let countOffset = drifted ? driftCountOffset : 0
            if drifted { driftedRows += 1 }
            var eta = drifted ? driftIntercept : intercept
            for column in 0..<columnCount {
                let u = sampler.uniform()
                var level = levelStart[column] + levelOffset
                while u >= cumulative[level] { level += 1 }
                levelIndex[column] = level - levelOffset
                eta += levelCoefficient[level]
            }
            let intent =
                SyntheticLeads.intentNoise * sampler.normal()
                + SyntheticLeads.timelineShift[levelIndex[timelineIndex] - timelineStart]
                + SyntheticLeads.senioritySlope * Double(levelIndex[seniorityIndex] - seniorityStart)
            for index in 0..<countValues.count {
                let table = counts[index + countOffset]
                let mean = table.baseMean * exp(table.sensitivity * intent)
                let rate = sampler.gamma(shape: table.shape, scale: mean / table.shape)
                var value = min(sampler.poisson(rate), table.cap)
                if index == clicksIndex { value = min(value, countValues[opensIndex]) }
                countValues[index] = value
                eta += table.coefficient * (value < log1pTable.count ? log1pTable[value] : log1p(Double(value)))
            }
            let probability = 1 / (1 + exp(-eta))
            let won = sampler.uniform() < probability
            probabilitySum += probability
            if won { positives += 1 }
            let second = min(Int((Double(row) + sampler.uniform()) * secondsPerRow), windowSeconds - 1)  // total: row < rows, so below windowSeconds

            out.append(UInt8(ascii: "L"))
            appendDigits(row + 1, minimumWidth: 8, to: &out)
            out.append(UInt8(ascii: ","))
            appendTimestamp(second, to: &out)
            for column in 0..<columnCount {
                out.append(UInt8(ascii: ","))
                let level = levelIndex[column]
                out.append(contentsOf: nameBytes[nameStart[level]..<nameStart[level + 1]])
            }
            for value in countValues {
                out.append(UInt8(ascii: ","))
                appendDigits(value, minimumWidth: 1, to: &out)
            }
            out.append(UInt8(ascii: ","))
            out.append(won ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            out.append(UInt8(ascii: "\n"))
        }
        return (positives, probabilitySum, driftedRows)
    }

    /// Decimal digits of a non-negative integer, zero-padded to `minimumWidth`.
    private func appendDigits(_ value: Int, minimumWidth: Int, to out: inout [UInt8]) {
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var remaining = value
        var length = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[length] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                length += 1
            } while remaining > 0
            while length < minimumWidth {
                buffer[length] = UInt8(ascii: "0")
                length += 1
            }
            for index in stride(from: length - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for `second` seconds after the window start (civil-from-days, Hinnant).
    private func appendTimestamp(_ second: Int, to out: inout [UInt8]) {
        let days = SyntheticLeads.windowStartDay + second / 86_400
        let secondOfDay = second % 86_400
        let (year, month, day) = CivilDate.civil(day: days)
        appendDigits(year, minimumWidth: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, minimumWidth: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, minimumWidth: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, minimumWidth: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, minimumWidth: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, minimumWidth: 2, to: &out)
        out.append(UInt8(ascii: "Z"))
    }
}
