import Foundation
import ScoringModelFormat
import Testing

@testable import LabTraining

/// `baton fit` chooses between the in-memory and the streaming fit from a sample of the file:
/// 1,000 rows when the estimate is far below the budget, the full `sampleRows` when it comes
/// within half of it (where a small sample's misjudged levels could change the choice).
@Suite struct FitPathChoiceTests {
    /// 12,000 rows whose `channel` has 2 levels in the first 1,000 rows and 40 after them.
    static func file() throws -> URL {
        var lines = ["channel,visits,won"]
        for i in 0..<12_000 {
            let channel = i < 1_000 ? "c\(i % 2)" : "c\(i % 40)"
            lines.append("\(channel),\(i % 7),\(i % 3 == 0 ? "yes" : "no")")
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fit-path-\(UUID().uuidString).csv")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static let spec = """
        outcome: {column: won, positive: ["yes"]}
        features:
          - {column: channel, type: categorical}
          - {column: visits, type: numeric, transform: log1p}
        """

    @Test func aSmallSampleDecidesFarFromTheBudgetTheFullOneNearIt() throws {
        let url = try Self.file()
        defer { try? FileManager.default.removeItem(at: url) }
        let spec = try ScoringSpec.parse(yaml: Self.spec, file: "s.yaml")
        // Far below a 1 GiB budget: the first 1,000 rows (2 channel levels: 1 dummy + intercept + visits).
        let far = try FitPathChoice.estimate(data: url, spec: spec, budgetBytes: 1 << 30)
        #expect(far.estimatedColumns == 3)
        #expect(!far.streams)
        // A budget within twice the quick estimate: the 10,000-row sample, which sees 40 levels.
        let near = try FitPathChoice.estimate(data: url, spec: spec, budgetBytes: far.estimatedBytes + far.estimatedBytes / 2)
        #expect(near.estimatedColumns == 41)
        #expect(near.estimatedRows >= 11_000 && near.estimatedRows <= 13_000, "rows from the sample's bytes per row")
        // Asked for a sample of at most 1,000 rows, that is all it reads.
        #expect(try FitPathChoice.estimate(data: url, spec: spec, budgetBytes: 1, sampleRows: 500).estimatedColumns == 3)
    }
}
