import BatonSupport
import Foundation
import LabNumerics
import LabTraining
import LeadCSV
import ScoringModelFormat

/// The data file read once, its leads' creation times, and the rows of the training and test
/// windows.
struct LeadWindows {
    let table: LeadTable
    /// UTC seconds of each data row's creation time.
    let seconds: [Int]
    let testQuarter: CalendarQuarter
    /// First day of the training window (nil: from the first lead).
    let trainStartDay: Int?
    /// Rows (indices into `table`) created before the test quarter (and on/after `trainStartDay`).
    let trainRows: [Int]
    /// Rows created in the test quarter.
    let testRows: [Int]
    /// Rows created after the test quarter (outcomes not yet matured) or before the training window.
    let excludedRows: Int

    /// Reads the data with every column the spec and the champion need, parses the time column,
    /// picks the test quarter and cuts the windows.
    static func load(
        data: URL, spec: ScoringSpec, specFile: String, champion: WeightFile?, championFile: String,
        asOfDay: Int, outcomeWindowDays: Int, trainQuarters: Int?
    ) throws(RecalibrationError) -> LeadWindows {
        guard let timeColumn = spec.time else { throw .noTimeColumn(spec: specFile) }
        var requests = EncodingLearner.columnRequests(for: spec, includeIdAndTime: false)
        requests.append(.raw(timeColumn))
        var championOnly: Set<String> = []
        if let champion {
            guard champion.spec.outcome == spec.outcome else {
                throw .championMismatch(
                    champion: championFile,
                    detail:
                        "it was fitted for outcome \"\(champion.spec.outcome.column)\" in \(champion.spec.outcome.positive), the spec says \"\(spec.outcome.column)\" in \(spec.outcome.positive)"
                )
            }
            for encoding in champion.encodings {
                if let feature = spec.features.first(where: { $0.column == encoding.column }) {
                    guard feature.type == encoding.type else {
                        throw .championMismatch(
                            champion: championFile,
                            detail:
                                "column \"\(encoding.column)\" is \(encoding.type.rawValue) in the champion but \(feature.type.rawValue) in the spec")
                    }
                } else if !requests.contains(where: { $0.name == encoding.column }) {
                    requests.append(encoding.type == .numeric ? .numeric(encoding.column) : .text(encoding.column))
                    championOnly.insert(encoding.column)
                }
            }
        }
        let table: LeadTable
        do {
            table = try LeadTableReader.read(url: data, columns: requests)
        } catch {
            if case let .unknownColumn(_, column, _, _) = error, championOnly.contains(column) {
                throw .championMismatch(champion: championFile, detail: "it uses column \"\(column)\", which \(data.lastPathComponent) does not have")
            }
            throw .lab(.data(.table(error)))
        }
        let raw = table.raw(timeColumn)
        var seconds = [Int](repeating: 0, count: table.rowCount)
        for row in 0..<table.rowCount {
            let text = raw.values[row].trimmingCharacters(in: .whitespaces)
            guard let s = LeadTime.seconds(text) else {
                throw .badTime(file: table.file, line: table.lineOfRow[row], column: timeColumn, value: text)
            }
            seconds[row] = s
        }
        let test = CalendarQuarter.lastMatured(asOfDay: asOfDay, outcomeWindowDays: outcomeWindowDays)
        let firstSecond = seconds.min() ?? 0
        guard test.startDay * 86_400 > firstSecond else {
            throw .noMaturedQuarter(
                file: table.file, asOf: CivilDate.isoDate(day: asOfDay), outcomeWindowDays: outcomeWindowDays,
                firstLead: CivilDate.isoDate(day: firstSecond / 86_400))
        }
        var trainStart: Int? = nil
        if let trainQuarters {
            var q = test
            for _ in 0..<trainQuarters { q = q.previous }
            trainStart = q.startDay
        }
        let testStart = test.startDay * 86_400, testEnd = test.endDay * 86_400
        let trainFrom = trainStart.map { $0 * 86_400 } ?? Int.min
        var trainRows: [Int] = [], testRows: [Int] = []
        for row in 0..<table.rowCount {
            let s = seconds[row]
            if s >= testStart && s < testEnd { testRows.append(row) } else if s < testStart && s >= trainFrom { trainRows.append(row) }
        }
        return LeadWindows(
            table: table, seconds: seconds, testQuarter: test, trainStartDay: trainStart,
            trainRows: trainRows, testRows: testRows,
            excludedRows: table.rowCount - trainRows.count - testRows.count)
    }

    /// 1 / 0 outcome of `rows`; an empty outcome cell in a matured row is an error.
    func outcomes(_ rows: [Int], spec: OutcomeSpec) throws(RecalibrationError) -> [Double] {
        let column = table.text(spec.column)
        let positive = column.levels.map { spec.positive.contains($0) ? 1.0 : 0.0 }
        return try rows.map { row throws(RecalibrationError) in
            let code = Int(column.codes[row])
            if column.levels[code].isEmpty {
                throw .lab(.data(.missingOutcome(file: table.file, line: table.lineOfRow[row], column: spec.column)))
            }
            return positive[code]
        }
    }

    /// `rows` that `features`' drop_row rules keep.
    func kept(_ rows: [Int], features: [FeatureSpec]) -> [Int] {
        let keep = Set(RowFilter(features: features, table: table).keptRows)
        return rows.filter { keep.contains($0) }
    }

    /// The categorical level a row has for `feature` after recoding (`Missing` for an empty cell).
    func level(_ row: Int, feature: FeatureSpec) -> String {
        let raw = table.text(feature.column)[row]
        let level = feature.recode[raw] ?? raw
        return level.isEmpty ? missingLevel : level
    }

    /// `YYYY-MM-DD … YYYY-MM-DD` of the creation times of `rows`.
    func span(_ rows: [Int]) -> String {
        let s = rows.map { seconds[$0] }
        guard let lo = s.min(), let hi = s.max() else { return "no leads" }
        return "\(CivilDate.isoDate(day: lo / 86_400)) … \(CivilDate.isoDate(day: hi / 86_400))"
    }
}

extension FeatureSpec {
    /// The spec of a fitted encoding (for its drop_row rule).
    init(_ encoding: FeatureEncoding) {
        self.init(column: encoding.column, type: encoding.type, transform: encoding.transform, missing: encoding.missing)
    }
}
