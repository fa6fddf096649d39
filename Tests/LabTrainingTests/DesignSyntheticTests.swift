import Foundation
import LabTraining
import LeadCSV
import ScoringModelFormat
import TestSupport
import Testing

/// The synthetic reference file: 10 categoricals + 15 counts under log1p → the 60 columns
/// of `reference_10k.json`.
@Suite struct DesignSyntheticTests {
    static let categorical = [
        "company_size", "industry", "region", "job_seniority", "budget_authority",
        "purchase_timeline", "lead_source", "department", "current_solution", "product_interest",
    ]
    static let counts = [
        "content_downloads", "webinars_attended", "email_opens", "email_clicks", "page_views",
        "pricing_page_views", "demo_requests", "site_visits", "form_submissions", "free_trial_days_active",
        "events_attended", "sales_meetings", "social_engagements", "support_chats", "days_since_last_activity",
    ]

    static var specYAML: String {
        "outcome: {column: won, positive: [1]}\nid: lead_id\ntime: created_at\nfeatures:\n"
            + categorical.map { "  - {column: \($0), type: categorical}\n" }.joined()
            + counts.map { "  - {column: \($0), type: numeric, transform: log1p}\n" }.joined()
    }

    @Test func columnsMatchReferenceAndSpotValues() throws {
        let csv = try SharedData.syntheticReferenceCSV(rows: 10000)
        let spec = try ScoringSpec.parse(yaml: Self.specYAML, file: "synthetic.spec.yaml")
        let data = try TrainingData.load(csv: csv, spec: spec)
        let reference = try SharedData.json("reference/synthetic/reference_10k.json")
        let dataset = try #require(reference["dataset"] as? [String: Any])
        let columns = try #require(dataset["columns"] as? [String]).map { $0 == "intercept" ? "(intercept)" : $0 }
        #expect(data.design.names == columns)
        #expect(data.design.rows == 10000)
        #expect(data.rows.rowsDropped == 0)
        #expect(isClose(Double(data.positives) / 10000, try #require(dataset["won_rate"] as? Double), absolute: 1e-12))
        let levels = try #require(dataset["levels"] as? [String: [String]])
        for encoding in data.encodings where encoding.type == .categorical {
            #expect(encoding.levels == levels[encoding.column])
        }
        #expect(data.ids?.first == "L00000001")

        // Spot values: the first rows split by hand, independently of the reader.
        let text = try String(contentsOf: csv, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines[0].split(separator: ",").map(String.init)
        let matrix = data.design.materialized()
        for r in [0, 1, 2, 9999] {
            let cells = lines[r + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let cell = { (name: String) in cells[header.firstIndex(of: name)!] }
            for (j, name) in columns.enumerated() {
                let expected: Double
                if name == "(intercept)" {
                    expected = 1
                } else if name.hasPrefix("log1p(") {
                    expected = log1p(Double(cell(String(name.dropFirst(6).dropLast())))!)
                } else {
                    let parts = name.split(separator: "=", maxSplits: 1).map(String.init)
                    expected = cell(parts[0]) == parts[1] ? 1 : 0
                }
                #expect(matrix[r, j] == expected, "row \(r) \(name)")
            }
            #expect(data.outcome[r] == (cell("won") == "1" ? 1 : 0))
            #expect(data.fileLines[r] == r + 2)
        }
        try assertSingleLeadAgrees(data: data, spec: spec, csv: csv)
    }
}
