#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The model flattened into lookup tables, so the per-row loop does no dictionary or string work.
struct GenerationPlan {
    struct CategoricalTable {
        var cumulative: [Double]
        var names: [[UInt8]]
        /// Coefficient of each level's term (0 for the baseline).
        var coefficients: [Double]
    }
    struct CountTable {
        var baseMean: Double
        var sensitivity: Double
        var shape: Double
        var coefficient: Double
        var cap: Int
    }

    let intercept: Double
    let categoricals: [CategoricalTable]
    let counts: [CountTable]
    let timelineIndex: Int
    let seniorityIndex: Int
    let clicksIndex: Int
    let opensIndex: Int
    /// log1p(k) for small k: most counts are small and log1p is the hot spot of a row.
    let log1pTable: [Double] = (0..<256).map { log1p(Double($0)) }

    init() {
        let terms = SyntheticLeads.trueTerms()
        let byName = Dictionary(terms.map { ($0.name, $0.coefficient) }, uniquingKeysWith: { first, _ in first })
        intercept = byName["(intercept)"] ?? 0
        categoricals = SyntheticLeads.categoricals.map { categorical in
            var running = 0.0
            let total = categorical.levels.reduce(0) { $0 + $1.weight }
            var cumulative = categorical.levels.map { level -> Double in
                running += level.weight / total
                return running
            }
            cumulative[cumulative.count - 1] = 1  // rounding must never leave a gap at the top
            return CategoricalTable(
                cumulative: cumulative,
                names: categorical.levels.map { Array($0.name.utf8) },
                coefficients: categorical.levels.map { byName["\(categorical.column)=\($0.name)"] ?? 0 })
        }
        counts = SyntheticLeads.counts.map {
            CountTable(baseMean: $0.baseMean, sensitivity: $0.intentSensitivity, shape: $0.shape,
                       coefficient: $0.coefficient, cap: $0.cap ?? Int.max)
        }
        let categoricalColumns = SyntheticLeads.categoricals.map(\.column)
        let countColumns = SyntheticLeads.counts.map(\.column)
        timelineIndex = categoricalColumns.firstIndex(of: "purchase_timeline") ?? 0
        seniorityIndex = categoricalColumns.firstIndex(of: "job_seniority") ?? 0
        clicksIndex = countColumns.firstIndex(of: SyntheticLeads.clippedPair.clicks) ?? 0
        opensIndex = countColumns.firstIndex(of: SyntheticLeads.clippedPair.opens) ?? 0
    }

    /// Appends `count` CSV rows of block `block` to `out`; returns the wins and the sum of true probabilities.
    func writeBlock(
        _ block: Int, firstRow: Int, count: Int, totalRows: Int, seed: UInt64, into out: inout [UInt8]
    ) -> (positives: Int, probabilitySum: Double) {
        var sampler = SyntheticSampler(seed: seed, stream: UInt64(block))
        var positives = 0
        var probabilitySum = 0.0
        var levelIndex = [Int](repeating: 0, count: categoricals.count)
        var countValues = [Int](repeating: 0, count: counts.count)
        let secondsPerRow = Double(SyntheticLeads.windowSeconds) / Double(totalRows)
        for offset in 0..<count {
            let row = firstRow + offset
            var eta = intercept
            for (index, table) in categoricals.enumerated() {
                let u = sampler.uniform()
                var level = 0
                while u >= table.cumulative[level] { level += 1 }
                levelIndex[index] = level
                eta += table.coefficients[level]
            }
            let intent = SyntheticLeads.intentNoise * sampler.normal()
                + SyntheticLeads.timelineShift[levelIndex[timelineIndex]]
                + SyntheticLeads.senioritySlope * Double(levelIndex[seniorityIndex])
            for (index, table) in counts.enumerated() {
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
            let second = min(Int((Double(row) + sampler.uniform()) * secondsPerRow), SyntheticLeads.windowSeconds - 1)

            out.append(UInt8(ascii: "L"))
            appendDigits(row + 1, minimumWidth: 8, to: &out)
            out.append(UInt8(ascii: ","))
            appendTimestamp(second, to: &out)
            for (index, table) in categoricals.enumerated() {
                out.append(UInt8(ascii: ","))
                out.append(contentsOf: table.names[levelIndex[index]])
            }
            for value in countValues {
                out.append(UInt8(ascii: ","))
                appendDigits(value, minimumWidth: 1, to: &out)
            }
            out.append(UInt8(ascii: ","))
            out.append(won ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            out.append(UInt8(ascii: "\n"))
        }
        return (positives, probabilitySum)
    }

    /// Decimal digits of a non-negative integer, zero-padded to `minimumWidth`.
    private func appendDigits(_ value: Int, minimumWidth: Int, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
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
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
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
