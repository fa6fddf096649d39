import Foundation
import LeadCSV
import ScoringModelFormat
import Testing

@testable import LabTraining

@Suite struct EncodingLearnerTests {
    func training(_ csv: String, _ yaml: String) throws(DataError) -> TrainingData {
        let spec: ScoringSpec
        do { spec = try ScoringSpec.parse(yaml: yaml, file: "s.yaml") } catch { preconditionFailure("\(error)") }
        let table: LeadTable
        do {
            table = try LeadTableReader.read(text: csv, file: "t.csv", columns: EncodingLearner.columnRequests(for: spec, includeIdAndTime: true))
        } catch { throw .table(error) }
        return try TrainingData.build(table: table, spec: spec)
    }

    static let head = "outcome: {column: y, positive: [\"yes\"]}\nfeatures:\n"

    @Test func rareLevelsMergeIntoExistingOtherAfterRowFilter() throws {
        // "c" has 2 rows, but one of them is dropped (empty n), so it has 1 < min_count 2.
        let csv = "y,n,k\nyes,1,a\nno,2,a\nyes,3,Other\nno,,c\nyes,5,c\nno,6,\nno,7,B\n"
        let data = try training(
            csv, Self.head + "  - {column: n, type: numeric, missing: drop_row}\n  - {column: k, type: categorical, min_count: 2}\n")
        let k = try #require(data.encodings.last)
        #expect(k.levels == ["Other", "a"])
        #expect(k.mergedIntoOther == ["c": 1, "Missing": 1, "B": 1])
        #expect(k.baseline == "Other")
        #expect(data.terms.map(\.name) == ["(intercept)", "n", "k=a"])
        #expect(data.rows.droppedByColumn == [DroppedRows(column: "n", rows: 1)])
        #expect(data.fileLines == [2, 3, 4, 6, 7, 8])
        #expect(data.outcome == [1, 0, 1, 1, 0, 0])
        #expect(data.design.materialized().column(2) == [1, 1, 0, 0, 0, 0])
    }

    @Test func byteOrderAndNamedBaseline() throws {
        let csv = "y,k\nyes,b\nno,B\nyes,a\nno,é\nno,b\n"
        let data = try training(csv, Self.head + "  - {column: k, type: categorical, baseline: b}\n")
        #expect(data.encodings[0].levels == ["B", "a", "b", "é"])
        #expect(data.terms.map(\.name) == ["(intercept)", "k=B", "k=a", "k=é"])
    }

    @Test func baselineErrors() throws {
        let csv = "y,k\nyes,a\nno,a\nyes,b\nno,b\nno,z\n"
        #expect(throws: DataError.baselineNotFound(file: "t.csv", column: "k", baseline: "q", levels: ["a", "b", "z"])) {
            try training(csv, Self.head + "  - {column: k, type: categorical, baseline: q}\n")
        }
        #expect(throws: DataError.baselineMerged(file: "t.csv", column: "k", baseline: "z", count: 1, minCount: 2, levels: ["Other", "a", "b"])) {
            try training(csv, Self.head + "  - {column: k, type: categorical, baseline: z, min_count: 2}\n")
        }
    }

    @Test func singleLevelColumnIsAnError() {
        let error = #expect(throws: DataError.self) {
            try training("y,k\nyes,a\nno,b\nno,c\n", Self.head + "  - {column: k, type: categorical, min_count: 2}\n")
        }
        #expect(error == .singleLevel(file: "t.csv", column: "k", level: "Other"))
        #expect(error?.description.contains("Drop the feature") == true)
        #expect(throws: DataError.singleLevel(file: "t.csv", column: "k", level: "a")) {
            try training("y,k\nyes,a\nno,a\n", Self.head + "  - {column: k, type: categorical}\n")
        }
    }

    @Test func numericRulesAndErrorsCarryLines() throws {
        let data = try training(
            "y,n,m\nyes,3,\nno,,1\n",
            Self.head + "  - {column: n, type: numeric, missing: indicator, transform: log1p}\n  - {column: m, type: numeric, missing: zero}\n")
        #expect(data.terms.map(\.name) == ["(intercept)", "log1p(n)", "missing(n)", "m"])
        #expect(data.design.materialized().values == [1, 1, log1p(3), 0, 0, 1, 0, 1])
        #expect(throws: DataError.cell(file: "t.csv", line: 3, error: .missingValue(column: "n", rule: .error))) {
            try training("y,n\nyes,3\nno,\n", Self.head + "  - {column: n, type: numeric}\n")
        }
        #expect(throws: DataError.cell(file: "t.csv", line: 4, error: .outsideLog1pDomain(column: "n", value: -1.5))) {
            try training("y,n\nyes,3\nno,1\nno,-1.5\n", Self.head + "  - {column: n, type: numeric, transform: log1p}\n")
        }
    }

    @Test func outcomeAndWeightErrors() throws {
        let spec = Self.head + "  - {column: n, type: numeric}\n"
        #expect(throws: DataError.missingOutcome(file: "t.csv", line: 3, column: "y")) { try training("y,n\nyes,1\n,2\nno,3\n", spec) }
        let none = #expect(throws: DataError.self) { try training("y,n\nYes,1\nno,2\n", spec) }
        #expect(none == .noPositiveOutcomes(file: "t.csv", column: "y", positive: ["yes"], seen: ["Yes", "no"]))
        #expect(throws: DataError.onlyPositiveOutcomes(file: "t.csv", column: "y", positive: ["yes"])) { try training("y,n\nyes,1\nyes,2\n", spec) }
        #expect(throws: DataError.badWeight(file: "t.csv", line: 3, column: "w", value: "-1.0")) {
            try training("y,n,w\nyes,1,1\nno,2,-1\n", spec + "weight: w\n")
        }
        #expect(try training("y,n,w\nyes,1,2\nno,2,0.5\n", spec + "weight: w\n").weights == [2, 0.5])
        #expect(throws: DataError.noRowsLeft(file: "t.csv", rowsRead: 2, dropped: [DroppedRows(column: "n", rows: 2)])) {
            try training("y,n\nyes,\nno,\n", Self.head + "  - {column: n, type: numeric, missing: drop_row}\n")
        }
    }

    @Test func scoringDataCountsUnseenLevels() throws {
        let train = "y,k\nyes,a\nno,a\nyes,b\nno,b\nno,c\n"
        let yaml = Self.head + "  - {column: k, type: categorical, min_count: 2}\n"
        let spec = try ScoringSpec.parse(yaml: yaml, file: "s.yaml")
        let model = try training(train, yaml)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("score-\(UUID().uuidString).csv")
        try "k\nb\nnew\nc\nnew\n\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let scoring = try ScoringData.load(csv: url, encodings: model.encodings, spec: spec)
        #expect(scoring.outcome == nil)
        #expect(scoring.design.names == ["(intercept)", "k=a", "k=b"])
        #expect(scoring.design.values == [1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0])
        #expect(scoring.unseenLevels == [UnseenLevels(column: "k", counts: ["new": 2], mappedTo: "Other")])
        #expect(scoring.unseenLevels[0].description.hasPrefix("2 rows of \"k\" had levels the model never saw"))
    }
}
