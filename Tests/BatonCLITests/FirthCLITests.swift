import Foundation
import ScoringModelFormat
import TestSupport
import Testing

/// Issue 15: `--method firth` / `method: firth` end to end. On separated data maximum likelihood
/// stops and suggests Firth; the Firth fit writes a weight file with finite weights and
/// `method: firth`; Firth in a streaming fit, or with a ridge, is refused with what to change.
@Suite struct FirthCLITests {
    @Test func separatedDataFitsWithFirth() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rows = ["visits,partner,won"]
        for i in 0..<80 {
            // Every partner lead is won: quasi-complete separation on partner=yes.
            let partner = i % 4 == 0
            rows.append("\(i % 9),\(partner ? "yes" : "no"),\(partner || (i * 7) % 5 < 2 ? "1" : "0")")
        }
        let data = dir.appendingPathComponent("d.csv"), spec = dir.appendingPathComponent("s.yaml"), out = dir.appendingPathComponent("m.json")
        try data.write(rows.joined(separator: "\n") + "\n")
        try spec.write(
            "outcome: {column: won, positive: [\"1\"]}\nfeatures:\n  - {column: visits, type: numeric}\n  - {column: partner, type: categorical}\n")
        let ml = try await CLI.run(["fit", "--data", data.path, "--spec", spec.path, "--out", out.path])
        #expect(ml.exitCode == 65)
        #expect(ml.stderr.contains("separation") && ml.stderr.contains("method: firth"), "\(ml.stderr)")
        let firth = try await CLI.run(["fit", "--data", data.path, "--spec", spec.path, "--out", out.path, "--method", "firth"])
        try #require(firth.exitCode == 0, "\(firth.stderr)")
        #expect(firth.stdout.contains("Firth (profile CI)"))
        let weights = try WeightFile.decode(data: try Data(contentsOf: out), file: out.path)
        #expect(weights.training.method == "firth" && weights.spec.method == .firth)
        let partner = try #require(weights.model.first { $0.name == "partner=yes" })
        #expect(partner.estimate.isFinite && partner.estimate > 1 && partner.estimate < 10, "\(partner.estimate)")
        let streaming = try await CLI.run(["fit", "--data", data.path, "--spec", spec.path, "--out", out.path, "--method", "firth", "--stream"])
        #expect(streaming.exitCode == 65)
        #expect(streaming.stderr.contains("streaming fit never holds"), "\(streaming.stderr)")
        let ridge = try await CLI.run(["fit", "--data", data.path, "--spec", spec.path, "--out", out.path, "--method", "firth", "--penalty", "1"])
        #expect(ridge.exitCode == 65)
        #expect(ridge.stderr.contains("Firth's penalty replaces a ridge"), "\(ridge.stderr)")
    }
}
