import Foundation
import TestSupport
import Testing

@testable import LabTraining
@testable import LeadCSV

/// The training window recorded in the weight file: least and greatest non-empty time in UTF-8
/// byte order, whether taken from per-row text or from the reader's `.bounds` column.
@Suite struct TimeRangeTests {
    static let pool = [
        "2023-01-01T00:00:00Z", "2024-12-31T23:59:59Z", "", "2023-06-15T12:00:00Z", "é-2023",
        "e\u{301}-2023", "2023-06-15T12:00:00Z", "Z", "0", "2023-06-15", " 2023",
    ]

    static func byteMin(_ values: [String]) -> String? { values.min { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
    static func byteMax(_ values: [String]) -> String? { values.max { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    @Test func windowEqualsByteOrderMinAndMaxOfNonEmptyTimes() {
        var random = SplitMix64(seed: 21)
        for count in [0, 1, 2, 7, 200] {
            let times = (0..<count).map { _ in Self.pool[Int(random.next() % UInt64(Self.pool.count))] }
            let rows = Array(times.indices).filter { _ in random.next() % 4 != 0 }
            let kept = rows.map { times[$0] }.filter { !$0.isEmpty }
            let window = TimeWindow.of(times, rows: rows)
            #expect(window?.from == Self.byteMin(kept))
            #expect(window?.to == Self.byteMax(kept))
        }
        #expect(TimeWindow.of(["", ""], rows: [0, 1]) == nil)
    }

    /// `.bounds` from the parser (serial and in chunks, quoted cells too) equals the window of `.raw`.
    @Test(arguments: [1, 3, 8])
    func boundsColumnEqualsWindowOfRawColumn(parts: Int) throws {
        var random = SplitMix64(seed: UInt64(30 + parts))
        var text = "id,created_at,x\n"
        for i in 0..<300 {
            let time = Self.pool[Int(random.next() % UInt64(Self.pool.count))]
            let quoted = random.next() % 5 == 0 ? "\"\(time)\"" : time
            text += "L\(i),\(quoted),\(i)\n"
        }
        let raw = try LeadTableReader.read(text: text, file: "t.csv", columns: [.raw("created_at")], parts: parts)
        let bounds = try LeadTableReader.read(text: text, file: "t.csv", columns: [.bounds("created_at")], parts: parts)
        let times = raw.raw("created_at").values
        let expected = TimeWindow.of(times, rows: Array(times.indices))
        #expect(bounds.bounds("created_at").least == expected?.from)
        #expect(bounds.bounds("created_at").greatest == expected?.to)
        // Only empty cells: no bounds.
        let table = try LeadTableReader.read(text: "t,x\n,1\n\"\",2\n", file: "e.csv", columns: [.bounds("t")])
        #expect(table.bounds("t").least == nil && table.bounds("t").greatest == nil)
    }
}

/// The lab's fit reads the time column only as `.bounds`; when `drop_row` rules drop rows, the
/// window must still cover the kept rows only.
@Suite struct FitTimeWindowTests {
    func fit(droppingExtremes: Bool) throws -> (run: CalibrationLab.FitRun, kept: [String]) {
        var random = SplitMix64(seed: 77)
        var csv = "lead_id,created_at,x,k,y\n"
        var kept: [String] = []
        for i in 0..<300 {
            let time = String(format: "2023-%02d-%02dT%02d:00:00Z", 1 + i % 12, 1 + i % 28, i % 24)
            let x = random.uniform() * 4 - 2
            let k = ["a", "b", "c"][Int(random.next() % 3)]
            let y = random.bernoulli(1 / (1 + exp(-x))) == 1 ? "yes" : "no"
            csv += "L\(i),\(time),\(x),\(k),\(y)\n"
            kept.append(time)
        }
        if droppingExtremes {
            // Earliest and latest times, on rows dropped for their empty x.
            csv += "L900,2019-01-01T00:00:00Z,,a,yes\nL901,2029-12-31T23:00:00Z,,b,no\n"
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("window-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("leads.csv"), spec = dir.appendingPathComponent("s.yaml")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        try """
        outcome: {column: y, positive: ["yes"]}
        id: lead_id
        time: created_at
        features:
          - {column: x, type: numeric, missing: drop_row}
          - {column: k, type: categorical}
        """.write(to: spec, atomically: true, encoding: .utf8)
        return (try CalibrationLab.fit(data: data, spec: spec), kept)
    }

    @Test(arguments: [false, true])
    func windowCoversTheKeptRowsOnly(droppingExtremes: Bool) throws {
        let (run, kept) = try fit(droppingExtremes: droppingExtremes)
        #expect(run.weightFile.training.rowsDropped == (droppingExtremes ? 2 : 0))
        #expect(run.weightFile.training.timeFrom == TimeRangeTests.byteMin(kept))
        #expect(run.weightFile.training.timeTo == TimeRangeTests.byteMax(kept))
        let training = try #require(run.training, "an in-memory fit keeps its training data")
        #expect(training.ids == nil && training.times == nil)  // the fit holds no String per row
    }
}
