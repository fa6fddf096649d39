import Foundation
import LabTraining
import Testing

@testable import Simulation

#if canImport(Yams)
import Yams
#endif

@Suite struct SyntheticLeadsTests {
    private func csv(rows: Int, seed: UInt64) throws -> (bytes: [UInt8], truth: SyntheticTruth) {
        var bytes: [UInt8] = []
        let truth = try SyntheticLeads.generate(rows: rows, seed: seed) { bytes.append(contentsOf: $0) }
        return (bytes, truth)
    }

    private func table(_ bytes: [UInt8]) -> (header: [String], rows: [[String]]) {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines[0].split(separator: ",").map(String.init)
        let rows = lines.dropFirst().filter { !$0.isEmpty }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (header, rows)
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let first = try csv(rows: 12_345, seed: 42)
        let again = try csv(rows: 12_345, seed: 42)
        let other = try csv(rows: 12_345, seed: 43)
        #expect(first.bytes == again.bytes)
        #expect(first.truth == again.truth)
        #expect(first.bytes != other.bytes)
        // A later block is not a copy of the first one (each block has its own stream).
        let rows = table(first.bytes).rows
        #expect(Array(rows[0][2...]) != Array(rows[10_000][2...]))
    }

    @Test func writesTheFileItReturnsTheTruthFor() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let truth = try SyntheticLeads.write(rows: 3000, seed: 7, to: url)
        let expected = try csv(rows: 3000, seed: 7)
        #expect(try [UInt8](Data(contentsOf: url)) == expected.bytes)
        #expect(truth == expected.truth)
        #expect(throws: SyntheticLeadsError.self) {
            try SyntheticLeads.write(rows: 10, seed: 7, to: URL(fileURLWithPath: "/nonexistent-dir/x.csv"))
        }
    }

    @Test func headerAndColumns() throws {
        let (header, rows) = table(try csv(rows: 2000, seed: 1).bytes)
        #expect(header.count == 28)
        #expect(header.first == "lead_id" && header[1] == "created_at" && header.last == "won")
        #expect(header == SyntheticLeads.columns)
        #expect(rows.count == 2000)
        #expect(rows[0][0] == "L00000001" && rows[1999][0] == "L00002000")
        let levels = Dictionary(uniqueKeysWithValues: SyntheticLeads.categoricals.map { ($0.column, Set($0.levels.map(\.name))) })
        for row in rows {
            #expect(row.count == 28)
            for (index, column) in header.enumerated() {
                if let known = levels[column] {
                    #expect(known.contains(row[index]))
                } else if index >= 12 {
                    #expect(Int(row[index]).map { $0 >= 0 } == true, "\(column) \(row[index])")
                }
            }
            #expect(["0", "1"].contains(row[27]))
            let opens = Int(row[header.firstIndex(of: "email_opens") ?? 0]) ?? -1
            let clicks = Int(row[header.firstIndex(of: "email_clicks") ?? 0]) ?? -1
            #expect(clicks <= opens)
            #expect((Int(row[header.firstIndex(of: "days_since_last_activity") ?? 0]) ?? 999) <= 730)
        }
    }

    @Test func createdAtIsMonotoneAndSpansTheWindow() throws {
        let rows = table(try csv(rows: 20_000, seed: 5).bytes).rows
        let formatter = ISO8601DateFormatter()
        let times = try rows.map { try #require(formatter.date(from: $0[1]), "\($0[1])") }
        let start = try #require(formatter.date(from: "2023-01-01T00:00:00Z"))
        let end = try #require(formatter.date(from: "2024-12-31T23:59:59Z"))
        for (earlier, later) in zip(times, times.dropFirst()) { #expect(earlier <= later) }
        #expect(times.first.map { $0 >= start && $0.timeIntervalSince(start) < 86_400 } == true)
        #expect(times.last.map { $0 <= end && end.timeIntervalSince($0) < 86_400 } == true)
        // eight quarters, roughly 2 500 leads each
        let calendar = Calendar(identifier: .gregorian)
        var quarters: [String: Int] = [:]
        var utc = calendar
        utc.timeZone = TimeZone(identifier: "UTC") ?? .current
        for time in times {
            let parts = utc.dateComponents([.year, .month], from: time)
            quarters["\(parts.year ?? 0)Q\(((parts.month ?? 1) - 1) / 3 + 1)", default: 0] += 1
        }
        #expect(quarters.count == 8)
        #expect(quarters.values.allSatisfy { abs($0 - 2500) < 60 })
    }

    /// The won count must match the true probabilities recomputed here from the rows and the
    /// truth's coefficients (within 4 binomial standard deviations).
    @Test func wonRateMatchesTheTrueModel() throws {
        let (bytes, truth) = try csv(rows: 30_000, seed: 2024)
        let (header, rows) = table(bytes)
        let coefficients = truth.coefficients
        let intercept = try #require(coefficients["(intercept)"])
        var expected = 0.0
        var variance = 0.0
        var won = 0
        var sumOfProbabilities = 0.0
        for row in rows {
            var eta = intercept
            for (index, column) in header.enumerated() where index >= 2 && index < 27 {
                if index < 12 {
                    eta += coefficients["\(column)=\(row[index])"] ?? 0  // the baseline has no term
                } else {
                    eta += (coefficients["log1p(\(column))"] ?? .nan) * log1p(Double(row[index]) ?? .nan)
                }
            }
            let p = 1 / (1 + exp(-eta))
            expected += p
            variance += p * (1 - p)
            sumOfProbabilities += p
            if row[27] == "1" { won += 1 }
        }
        #expect(won == truth.positives)
        #expect(abs(Double(won) - expected) <= 4 * variance.squareRoot(), "won \(won), expected \(expected) ± \(variance.squareRoot())")
        #expect(abs(truth.meanProbability - sumOfProbabilities / 30_000) < 1e-9)
        #expect(truth.wonRate > 0.05 && truth.wonRate < 0.5)
    }

    @Test func levelFrequenciesFollowTheirWeights() throws {
        let (header, rows) = table(try csv(rows: 40_000, seed: 77).bytes)
        let n = Double(rows.count)
        for categorical in SyntheticLeads.categoricals {
            let index = try #require(header.firstIndex(of: categorical.column))
            var seen: [String: Int] = [:]
            for row in rows { seen[row[index], default: 0] += 1 }
            let total = categorical.levels.reduce(0) { $0 + $1.weight }
            for level in categorical.levels {
                let weight = level.weight / total
                let observed = Double(seen[level.name] ?? 0) / n
                #expect(
                    abs(observed - weight) <= 4.5 * (weight * (1 - weight) / n).squareRoot(),
                    "\(categorical.column)=\(level.name): \(observed) vs \(weight)")
            }
        }
    }

    @Test func trueTermsFollowTheEncoding() throws {
        let terms = SyntheticLeads.trueTerms()
        #expect(terms.count == 60)
        #expect(terms[0].name == "(intercept)")
        #expect(terms.contains { $0.name == "company_size=11-50" })
        #expect(!terms.contains { $0.name == "company_size=1-10" })  // byte-order first: the baseline
        #expect(!terms.contains { $0.name == "purchase_timeline=0-3_months" })
        #expect(terms.last?.name == "log1p(days_since_last_activity)")
        // The intercept absorbs every baseline's effect; a level's term is its effect minus the baseline's.
        let coefficient = Dictionary(uniqueKeysWithValues: terms.map { ($0.name, $0.coefficient) })
        #expect(abs((coefficient["company_size=5001+"] ?? 0) - (0.20 - -0.55)) < 1e-15)
        // baselines: 1-10, education, anz, c_level, no, 0-3_months, content_syndication, finance, competitor, analytics
        let baselineSum = -0.55 + -0.35 + 0.00 + 0.40 + 0.00 + 0.80 + -0.40 + 0.10 + -0.20 + 0.15
        #expect(abs((coefficient["(intercept)"] ?? 0) - (-3.6 + baselineSum)) < 1e-12)

        let truth = try csv(rows: 100, seed: 9).truth
        let decoded = try JSONDecoder().decode(SyntheticTruth.self, from: try truth.jsonData())
        #expect(decoded == truth)
        let json = String(decoding: try truth.jsonData(), as: UTF8.self)
        #expect(json.contains("\"won_rate\"") && json.contains("\"mean_probability\""))
    }

    @Test func specNamesEveryColumnWithItsEncoding() throws {
        let yaml = SyntheticLeads.specYAML
        #if canImport(Yams)
        let spec = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let outcome = try #require(spec["outcome"] as? [String: Any])
        #expect(outcome["column"] as? String == "won")
        #expect(outcome["positive"] as? [String] == ["1"])
        #expect(spec["id"] as? String == "lead_id" && spec["time"] as? String == "created_at")
        let features = try #require(spec["features"] as? [[String: Any]])
        #expect(features.map { $0["column"] as? String ?? "" } == Array(SyntheticLeads.columns[2..<27]))
        for feature in features.prefix(10) {
            #expect(feature["type"] as? String == "categorical" && feature["group"] as? String == "fit")
        }
        for feature in features.dropFirst(10) {
            #expect(feature["type"] as? String == "numeric" && feature["transform"] as? String == "log1p")
            #expect(feature["group"] as? String == "engagement")
        }
        #else
        for column in SyntheticLeads.columns[2..<27] { #expect(yaml.contains("{column: \(column), type: ")) }
        #endif
    }
}

/// The samplers against their distributions' moments (5 standard errors).
@Suite struct SyntheticLeadsSamplerTests {
    @Test(arguments: [0.5, 1.0, 2.5, 30.0])
    func gammaMoments(shape: Double) {
        var sampler = SyntheticSampler(seed: 3, stream: 1)
        let n = 200_000
        let scale = 1.7
        var sum = 0.0
        var sumSquares = 0.0
        for _ in 0..<n {
            let x = sampler.gamma(shape: shape, scale: scale)
            #expect(x >= 0)
            sum += x
            sumSquares += x * x
        }
        let mean = sum / Double(n)
        let variance = sumSquares / Double(n) - mean * mean
        let trueVariance = shape * scale * scale
        #expect(abs(mean - shape * scale) <= 5 * (trueVariance / Double(n)).squareRoot())
        // variance of the sample variance ≈ (μ₄ − σ⁴)/n, μ₄ = 3σ⁴(1 + 2/shape) for the gamma
        let varianceSE = ((3 * (1 + 2 / shape) - 1) * trueVariance * trueVariance / Double(n)).squareRoot()
        #expect(abs(variance - trueVariance) <= 5 * varianceSE)
    }

    @Test(arguments: [0.05, 0.9, 3.0, 9.99, 10.0, 27.5, 400.0])
    func poissonMoments(lambda: Double) {
        var sampler = SyntheticSampler(seed: 4, stream: 2)
        let n = 200_000
        var sum = 0.0
        var sumSquares = 0.0
        var zeros = 0
        for _ in 0..<n {
            let k = sampler.poisson(lambda)
            if k == 0 { zeros += 1 }
            sum += Double(k)
            sumSquares += Double(k) * Double(k)
        }
        let mean = sum / Double(n)
        let variance = sumSquares / Double(n) - mean * mean
        #expect(abs(mean - lambda) <= 5 * (lambda / Double(n)).squareRoot())
        // var of the sample variance for Poisson ≈ (λ + 2λ²)/n
        #expect(abs(variance - lambda) <= 5 * ((lambda + 2 * lambda * lambda) / Double(n)).squareRoot())
        let p0 = exp(-lambda)
        #expect(abs(Double(zeros) / Double(n) - p0) <= 5 * (p0 * (1 - p0) / Double(n)).squareRoot() + 1e-6)
    }

    @Test func normalMoments() {
        var sampler = SyntheticSampler(seed: 5, stream: 3)
        let n = 200_000
        var sum = 0.0
        var sumSquares = 0.0
        for _ in 0..<n {
            let x = sampler.normal()
            sum += x
            sumSquares += x * x
        }
        #expect(abs(sum / Double(n)) <= 5 / Double(n).squareRoot())
        #expect(abs(sumSquares / Double(n) - 1) <= 5 * (2 / Double(n)).squareRoot())
    }

    /// xoshiro256** reference: state {1, 2, 3, 4} gives 11520, 0, 1509978240, 1215971899390074240 (Vigna's C code).
    @Test func xoshiroMatchesTheReferenceImplementation() {
        var generator = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect((0..<4).map { _ in generator.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }
}
