import BatonSupport
import Foundation
import LabNumerics
import LabTraining
import ScoringModelFormat
import Simulation
import TestSupport
import Testing

@testable import Recalibration

/// `method: firth` in the spec reaches the recalibration's challenger: it is the same estimate
/// `baton fit` makes (Firth's penalised likelihood) on the challenger's training rows, recorded
/// as such in its weight file, and not the maximum-likelihood one.
@Suite struct FirthChallengerTests {
    @Test func theChallengerIsFittedByTheSpecsMethod() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recal-firth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("leads.csv"), spec = folder.appendingPathComponent("firth.spec.yaml")
        _ = try SyntheticLeads.write(rows: 2_400, seed: 5, options: SyntheticOptions(quarters: 4), to: csv)
        // A few of the generated features, so the reference fit's profile intervals stay quick.
        try Data(
            """
            outcome: {column: won, positive: ["1"]}
            id: lead_id
            time: created_at
            method: firth
            features:
              - {column: company_size, type: categorical}
              - {column: budget_authority, type: categorical}
              - {column: purchase_timeline, type: categorical}
              - {column: pricing_page_views, type: numeric, transform: log1p}
              - {column: demo_requests, type: numeric, transform: log1p}
            """.utf8
        ).write(to: spec)

        let result = try QuarterlyRecalibration.run(
            QuarterlyRecalibration.Options(
                data: csv, spec: spec, champion: nil, asOfDay: try #require(LeadTime.day("2024-04-01")), minimumOutcomesPerTerm: 5,
                now: Date(timeIntervalSince1970: 1_760_000_000)))
        #expect(result.testQuarter.description == "2023Q4")
        let challenger = result.challenger.model
        #expect(challenger.training.method == "firth")

        // The training window as plain text: every lead created before the test quarter.
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        let training = [lines[0]] + lines.dropFirst().filter { $0.split(separator: ",")[1] < "2023-10-01" }
        let window = folder.appendingPathComponent("window.csv")
        try Data((training.joined(separator: "\n") + "\n").utf8).write(to: window)
        #expect(challenger.training.rows == training.count - 1)

        // The reference: `baton fit`'s design of the same rows, fitted by Firth (without the profile
        // intervals, which change no estimate and are slow in a debug build) and by maximum likelihood.
        let ml = try CalibrationLab.fit(data: window, spec: spec, method: .ml)
        let design = try #require(ml.training)
        let firth = try FirthRegression.fit(design.design.materialized(), outcomes: design.outcome, weights: design.weights, profile: false)
        #expect(ml.weightFile.training.method == nil)
        #expect(challenger.model.map(\.term) == ml.weightFile.model.map(\.term))
        for (got, want) in zip(challenger.model, firth.coefficients) {
            #expect(isClose(got.estimate, want, relative: 1e-8), "\(got.term): \(got.estimate) vs Firth \(want)")
        }
        // Firth shrinks: the estimates are not the maximum-likelihood ones.
        let moved = zip(challenger.model, ml.weightFile.model).filter { abs($0.estimate - $1.estimate) > 1e-4 }.count
        #expect(moved > challenger.model.count / 2, "only \(moved) of \(challenger.model.count) estimates differ from ML")
    }
}
