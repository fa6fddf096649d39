import Foundation
import Testing

@testable import ScoringModelFormat

@Suite struct EncodingTermsTests {
    let visits = FeatureEncoding(column: "visits", type: .numeric, group: .engagement, transform: .log1p, missing: .indicator)
    let job = FeatureEncoding(
        column: "job", type: .categorical, group: .fit, recode: ["mgr": "manager"],
        levels: ["Missing", "Other", "admin.", "manager"], baseline: "admin.",
        mergedIntoOther: ["intern": 3], minCount: 10)

    @Test func termNamesAndOrder() {
        #expect(
            FeatureEncoding.terms(of: [visits, job]).map(\.name)
                == ["(intercept)", "log1p(visits)", "missing(visits)", "job=Missing", "job=Other", "job=manager"])
        let plain = FeatureEncoding(column: "age", type: .numeric, group: .fit, missing: .zero)
        #expect(plain.terms == [Term(name: "age", kind: .numeric, column: "age", group: .fit)])
    }

    @Test func numericValues() throws {
        #expect(try visits.termValues(rawCell: " 3 ") == [log1p(3), 0])
        #expect(try visits.termValues(rawCell: "") == [0, 1])
        #expect(try visits.termValues(rawCell: nil) == [0, 1])
        #expect(throws: CellEncodingError.outsideLog1pDomain(column: "visits", value: -1)) { try visits.termValues(rawCell: "-1") }
        #expect(throws: CellEncodingError.notANumber(column: "visits", value: "0x10")) { try visits.termValues(rawCell: "0x10") }
        #expect(throws: CellEncodingError.nonFinite(column: "visits", value: "1e400")) { try visits.termValues(rawCell: "1e400") }
        let strict = FeatureEncoding(column: "n", type: .numeric, group: .fit)
        #expect(throws: CellEncodingError.missingValue(column: "n", rule: .error)) { try strict.termValues(rawCell: " ") }
        #expect(try strict.termValues(rawCell: "-2.5e1") == [-25])
    }

    @Test func categoricalValuesAndUnseenLevels() throws {
        #expect(try job.encode(rawCell: "mgr") == EncodedCell(values: [0, 0, 1]))
        #expect(try job.encode(rawCell: "admin.") == EncodedCell(values: [0, 0, 0]))
        #expect(try job.encode(rawCell: "") == EncodedCell(values: [1, 0, 0]))
        #expect(try job.encode(rawCell: "intern") == EncodedCell(values: [0, 1, 0]))
        #expect(try job.encode(rawCell: "pilot") == EncodedCell(values: [0, 1, 0], unseenLevel: "pilot"))
        var noOther = job
        noOther.levels = ["admin.", "manager"]
        noOther.mergedIntoOther = [:]
        #expect(try noOther.encode(rawCell: "pilot") == EncodedCell(values: [0], unseenLevel: "pilot"))
        #expect(try noOther.encode(rawCell: nil) == EncodedCell(values: [0], unseenLevel: "Missing"))
    }
}
