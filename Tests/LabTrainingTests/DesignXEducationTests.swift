import Foundation
import LabTraining
import LeadCSV
import ScoringModelFormat
import TestSupport
import Testing

/// The X Education recipe of `../shared/reference/x_education_fit.json`, rebuilt from the spec.
@Suite struct DesignXEducationTests {
    static func load() throws -> (TrainingData, ScoringSpec) {
        let spec = try ScoringSpec.parse(yaml: SharedData.xEducationSpec, file: "x_education.spec.yaml")
        return (try TrainingData.load(csv: SharedData.xEducationLeads, spec: spec), spec)
    }

    @Test func rowCountsTermsAndMergesMatchReference() throws {
        let (data, _) = try Self.load()
        let reference = try SharedData.json("reference/x_education_fit.json")
        #expect(data.rows.rowsRead == reference["rows_in_file"] as? Int)
        #expect(data.design.rows == 9103)
        #expect(data.design.rows == reference["n_obs"] as? Int)
        #expect(data.rows.rowsDropped == 137)
        #expect(data.rows.rowsDropped == reference["rows_dropped_missing_numeric"] as? Int)
        #expect(data.rows.droppedByColumn == [DroppedRows(column: "TotalVisits", rows: 137), DroppedRows(column: "Page Views Per Visit", rows: 137)])
        #expect(data.positives == 3461)
        #expect(data.positives == reference["n_events"] as? Int)

        let columns = try #require(reference["columns"] as? [String])
        let categorical = ["Lead Origin", "Lead Source", "Last Activity"]
        let expectedNames = columns.map { name -> String in
            if name == "const" { return "(intercept)" }
            for column in categorical where name.hasPrefix(column + "_") {
                return column + "=" + name.dropFirst(column.count + 1)
            }
            return name
        }
        #expect(data.design.names == expectedNames)
        #expect(data.terms.map(\.name) == expectedNames)
        #expect(data.design.columns == 22)

        let spec = try #require(reference["feature_spec"] as? [String: Any])
        let merged = try #require(spec["levels_merged_into_Other"] as? [String: [String: Int]])
        let baselines = try #require(spec["baseline_levels"] as? [String: String])
        for encoding in data.encodings where encoding.type == .categorical {
            #expect(encoding.mergedIntoOther == merged[encoding.column], "\(encoding.column)")
            #expect(encoding.baseline == baselines[encoding.column], "\(encoding.column)")
        }
        // Dropped rows are exactly the lines with an empty TotalVisits; lines are physical (header = 1).
        #expect(data.fileLines.first == 2)
        #expect(data.fileLines.count == 9103)
        #expect(data.ids?.count == 9103)
    }

    @Test func singleLeadEncodingEqualsBatchRows() throws {
        let (data, spec) = try Self.load()
        try assertSingleLeadAgrees(data: data, spec: spec, csv: SharedData.xEducationLeads)
    }

    @Test func scoringDataReproducesTrainingDesign() throws {
        let (data, spec) = try Self.load()
        let scoring = try ScoringData.load(csv: SharedData.xEducationLeads, encodings: data.encodings, spec: spec)
        #expect(scoring.design == data.design.materialized())
        #expect(scoring.outcome == data.outcome)
        #expect(scoring.unseenLevels.isEmpty)
    }
}

/// Every kept row of the batch design equals the single-lead `termValues` of its raw cells.
func assertSingleLeadAgrees(data: TrainingData, spec: ScoringSpec, csv: URL) throws {
    let raw = try LeadTableReader.read(url: csv, columns: spec.features.map { .raw($0.column) })
    let lineToRow = Dictionary(uniqueKeysWithValues: raw.lineOfRow.enumerated().map { ($1, $0) })
    var mismatches = 0
    let matrix = data.design.materialized()
    for (i, line) in data.fileLines.enumerated() {
        let row = try #require(lineToRow[line])
        var expected: [Double] = [1]
        for encoding in data.encodings {
            expected += try encoding.termValues(rawCell: raw.raw(encoding.column).values[row])
        }
        let actual = (0..<matrix.columns).map { matrix[i, $0] }
        if actual != expected { mismatches += 1 }
    }
    #expect(mismatches == 0)
}
