import BatonSupport
import Foundation
import LeadCSV
import ScoringModelFormat

/// Chooses between the in-memory and the streaming fit: streaming when the estimated memory
/// of the in-memory fit exceeds a budget.
package struct FitPathChoice: Sendable, Equatable {
    /// Estimated rows (kept or not) in the file: exact when the file fits in the sample.
    package var estimatedRows: Int
    /// Estimated design columns p (numeric terms plus one dummy per sampled level beyond the first).
    package var estimatedColumns: Int
    /// Estimated peak bytes of the in-memory fit, see ``estimate(data:spec:sampleRows:)``.
    package var estimatedBytes: Int
    /// The budget compared with.
    package var budgetBytes: Int
    /// True when the estimate exceeds the budget.
    package var streams: Bool { estimatedBytes > budgetBytes }

    /// Estimates the in-memory footprint from the first `sampleRows` rows:
    /// `bytes = file size (mapped) + n × (8p + 40 + table bytes per row)`, where 8p is the
    /// design row, 40 the outcome, weight, probability and line vectors, and the table bytes
    /// per row are 8 (line) + 9 per numeric, 4 per categorical and 48 per raw (id, time)
    /// column; plus the fit's own per-row copies: 8 per dense term (the intercept and the
    /// numeric terms, copied row-major once) and 4 per categorical (its level and code);
    /// n is the file size over the sample's bytes per row.
    ///
    /// The first estimate reads 1,000 rows (~1.5 ms for the bundled file's, against ~15 ms for
    /// 10,000, all of it before the parallel read can start); only when it comes within half of
    /// the budget, where a row length or a level count misjudged by a small sample could change
    /// the choice, are `sampleRows` rows read for the estimate that decides.
    package static func estimate(
        data: URL, spec: ScoringSpec, budgetBytes: Int,
        sampleRows: Int = 10_000
    ) throws(LabError) -> FitPathChoice {
        let quick = try estimate(data: data, spec: spec, budgetBytes: budgetBytes, rows: min(1_000, sampleRows), readSize: 1 << 18)
        if quick.estimatedBytes <= budgetBytes / 2 || sampleRows <= 1_000 { return quick }
        return try estimate(data: data, spec: spec, budgetBytes: budgetBytes, rows: sampleRows, readSize: LeadTableBlockReader.defaultReadSize)
    }

    private static func estimate(
        data: URL, spec: ScoringSpec, budgetBytes: Int, rows sampleRows: Int, readSize: Int
    ) throws(LabError) -> FitPathChoice {
        let requests = EncodingLearner.columnRequests(for: spec, includeIdAndTime: true)
        let sample: LeadTable?
        let reader: LeadTableBlockReader
        do {
            reader = try LeadTableBlockReader(url: data, columns: requests, blockRows: sampleRows, readSize: readSize)
            sample = try reader.next()
        } catch {
            throw .data(.table(error))
        }
        // fstat of the open file (FileManager's attributes also look up the owner's names).
        let fileBytes = reader.fileSize ?? reader.bytesRead
        guard let sample, sample.rowCount > 0 else {
            return FitPathChoice(estimatedRows: 0, estimatedColumns: 1, estimatedBytes: fileBytes, budgetBytes: budgetBytes)
        }
        // Bytes left unread mean more rows (or blank lines); only a read that reached the end
        // needs a second block to tell.
        let exhausted = reader.bytesRead >= fileBytes && (try? reader.next()) == nil
        let rows =
            exhausted
            ? sample.rowCount
            : (Double(fileBytes) * Double(sample.rowCount) / Double(max(1, sample.byteCount))).clampedInt(.up, in: 0...Int.max)
        var columns = 1
        var tablePerRow = 8
        var fitPerRow = 8  // the intercept's row-major copy
        for feature in spec.features {
            switch feature.type {
            case .numeric where feature.transform == .bins:
                // Bins fit in memory only; their columns are bounded by max_bins (+ Missing).
                let bins = (feature.maxBins ?? max(FeatureSpec.defaultMaxBins, (feature.cuts?.count ?? 0) + 1)) + 1
                columns += bins
                tablePerRow += 9
                fitPerRow += 8 * bins
            case .numeric:
                columns += feature.missing == .indicator ? 2 : 1
                tablePerRow += 9
                fitPerRow += feature.missing == .indicator ? 16 : 8
            case .categorical:
                let levels = Set(sample.text(feature.column).levels.map { feature.recode[$0] ?? $0 })
                columns += max(1, levels.count - 1)
                tablePerRow += 4
                fitPerRow += 4
            }
        }
        tablePerRow += 4 + (spec.weight == nil ? 0 : 9) + 48 * ((spec.id == nil ? 0 : 1) + (spec.time == nil ? 0 : 1))
        let bytes = fileBytes + rows * (8 * columns + 40 + tablePerRow + fitPerRow)
        return FitPathChoice(estimatedRows: rows, estimatedColumns: columns, estimatedBytes: bytes, budgetBytes: budgetBytes)
    }
}

/// Memory sizes for `--memory-budget`.
package enum MemorySize {
    /// Parses `4GiB`, `512MiB`, `64KiB`, `2GB`, `1.5G`, `1000000` (bytes); binary units for
    /// KiB/MiB/GiB/TiB and K/M/G/T, decimal for KB/MB/GB/TB. Nil when not a positive size.
    package static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let value = Double(digits), value > 0, value.isFinite else { return nil }
        let scale: Double
        switch unit {
        case "", "b": scale = 1
        case "k", "kib": scale = 0x1p10
        case "m", "mib": scale = 0x1p20
        case "g", "gib": scale = 0x1p30
        case "t", "tib": scale = 0x1p40
        case "kb": scale = 1e3
        case "mb": scale = 1e6
        case "gb": scale = 1e9
        case "tb": scale = 1e12
        default: return nil
        }
        let bytes = value * scale
        guard bytes >= 1, bytes < 0x1p62 else { return nil }
        return Int(bytes)
    }

    /// `MemTotal` of /proc/meminfo in bytes (Linux), nil elsewhere or when unreadable.
    package static func physicalMemory(meminfo: URL = URL(fileURLWithPath: "/proc/meminfo")) -> Int? {
        guard let text = try? String(contentsOf: meminfo, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kib = Int(fields[1]) else { return nil }
            return kib * 1024
        }
        return nil
    }

    /// The default budget: half of physical memory (4 GiB when it cannot be read), leaving
    /// the rest to the operating system, the page cache and other processes.
    package static func defaultBudget() -> Int {
        physicalMemory().map { $0 / 2 } ?? 4 << 30
    }

    /// `1.5 GiB`, `512.0 MiB`.
    package static func format(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return index == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[index])
    }
}
