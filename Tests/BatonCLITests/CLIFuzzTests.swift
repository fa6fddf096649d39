import Foundation
import ScoringModelFormat
import TestSupport
import Testing

/// Issue 20's bounded, seeded fuzz of the lab's inputs: mutated CSV files, specs and weight files
/// (checksums recomputed, so the mutation reaches the checks of sense, not only the checksum)
/// through `baton fit`, `validate` and `score`. Every run ends with a documented exit code (0, 64
/// or 65), a refusal says why on standard error, and nothing crashes (exit ≥ 128 or a Swift
/// runtime trap) or hangs. `BATON_FUZZ_RUNS` scales the runs per input kind (default 60).
@Suite struct CLIFuzzTests {
    static let runs = ProcessInfo.processInfo.environment["BATON_FUZZ_RUNS"].flatMap { Int($0) } ?? 60

    static let spec = """
        outcome: {column: won, positive: ["1"]}
        features:
          - {column: visits, type: numeric, transform: log1p}
          - {column: pages, type: numeric}
          - {column: source, type: categorical, min_count: 5}
          - {column: size, type: categorical}
        """

    static func csv(_ rng: inout SplitMix64) -> String {
        var rows = ["visits,pages,source,size,won"]
        for _ in 0..<150 {
            let visits = Int(rng.next() % 12)
            let pages = Int(rng.next() % 40)
            let source = ["ads", "event", "web", "partner"][Int(rng.next() % 4)]
            let size = ["1-10", "11-50", "51-200"][Int(rng.next() % 3)]
            let won = rng.uniform() < 0.15 + 0.04 * Double(visits) ? 1 : 0
            rows.append("\(visits),\(pages),\(source),\(size),\(won)")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// Values a hostile or broken export puts into a file.
    static let hostile: [String] = [
        "1e300", "-1e300", "1e400", "NaN", "inf", "-0", "0x1F", "1,5", "\"", "\"\"", "\u{0}", "\r", "\n", "\t", ",", ":", "- ", "{", "[",
        "&a", "*a", "!!binary", "%", "\u{FEFF}", "é", "\u{202E}", String(repeating: "9", count: 40), String(repeating: "x", count: 300), "",
    ]

    /// One byte-level mutation: flip a bit, cut, duplicate a slice, or insert a hostile value.
    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var out = bytes
        let position = out.isEmpty ? 0 : Int(rng.next() % UInt64(out.count))
        switch rng.next() % 6 {
        case 0: if !out.isEmpty { out[position] ^= UInt8(1 << (rng.next() % 8)) }
        case 1: out = Array(out.prefix(position))
        case 2:
            let length = min(Int(rng.next() % 64), out.count - position)
            out.insert(contentsOf: out[position..<(position + length)], at: position)
        case 3: if !out.isEmpty { out[position] = [0xFF, 0xC3, 0x00, 0x22, 0x2C, 0x0A][Int(rng.next() % 6)] }
        default:
            out.insert(contentsOf: Array(hostile[Int(rng.next() % UInt64(hostile.count))].utf8), at: position)
        }
        return out
    }

    /// A weight-file value changed the way a forger or a broken tool would.
    static func hostileValue(_ value: JSONValue, _ rng: inout SplitMix64) -> JSONValue {
        let choices: [JSONValue] = [
            .double(1e308), .double(-1e308), .double(5e-324), .double(0), .double(-0.0), .double(1e15), .integer(Int64.max), .integer(-1),
            .string(""), .string("\u{0}"), .string(String(repeating: "z", count: 500)), .null, .bool(true), .array([]), .object([:]),
        ]
        if case .double(let x) = value, rng.next() % 2 == 0 { return .double(x * [10, -1, 1e6, 1e-6][Int(rng.next() % 4)]) }
        return choices[Int(rng.next() % UInt64(choices.count))]
    }

    /// Walks to a random member or element and replaces, removes or duplicates it.
    static func mutateJSON(_ value: JSONValue, _ rng: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch value {
        case .object(var members) where !members.isEmpty:
            let keys = members.keys.sorted()
            let key = keys[Int(rng.next() % UInt64(keys.count))]
            switch rng.next() % 5 {
            case 0: members.removeValue(forKey: key)
            case 1: members[key] = hostileValue(members[key] ?? .null, &rng)
            case 2: members[key + "_extra"] = members[key]
            default: members[key] = mutateJSON(members[key] ?? .null, &rng, depth: depth + 1)
            }
            return .object(members)
        case .array(var elements) where !elements.isEmpty:
            let index = Int(rng.next() % UInt64(elements.count))
            switch rng.next() % 4 {
            case 0: elements.remove(at: index)
            case 1: elements.append(elements[index])
            default: elements[index] = mutateJSON(elements[index], &rng, depth: depth + 1)
            }
            return .array(elements)
        default:
            return hostileValue(value, &rng)
        }
    }

    /// Runs baton with a time limit; records anything but a clean, documented ending.
    /// Each run happens on a thread of its own (`BlockingWork.run`): hundreds of blocking
    /// process runs on the two cooperative threads would starve the suite's in-process servers.
    static func check(_ arguments: [String], input: String, tally: inout [Int32: Int]) async throws {
        let result = try await run(arguments)
        tally[result.exitCode, default: 0] += 1
        let what = "\(arguments.first ?? "") on \(input)"
        #expect([0, 64, 65].contains(result.exitCode), "\(what): exit \(result.exitCode) \(result.stderr.suffix(600))")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(what) trapped: \(result.stderr.suffix(600))")
        if result.exitCode != 0 { #expect(!result.stderr.isEmpty, "\(what): exit \(result.exitCode) without a word") }
    }

    static func run(_ arguments: [String]) async throws -> CLIResult {
        try await CLI.run(arguments, timeout: 60)
    }

    @Test func mutatedCSVFilesAndSpecsThroughFitValidateAndScore() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SplitMix64(seed: 20)
        let data = dir.appendingPathComponent("leads.csv")
        let base = Self.csv(&rng)
        try data.write(base)
        let spec = dir.appendingPathComponent("spec.yaml")
        try spec.write(Self.spec)
        let model = dir.appendingPathComponent("model.json")
        let fitted = try await Self.run(["fit", "--data", data.path, "--spec", spec.path, "--out", model.path])
        try #require(fitted.exitCode == 0, "\(fitted.stderr)")

        var tally: [Int32: Int] = [:]
        for run in 0..<Self.runs {
            var bytes = Array(base.utf8)
            for _ in 0...(rng.next() % 3) { bytes = Self.mutate(bytes, &rng) }
            let mutated = dir.appendingPathComponent("csv-\(run).csv")
            try Data(bytes).write(to: mutated)
            let out = dir.appendingPathComponent("out-\(run)").path
            try await Self.check(
                ["fit", "--data", mutated.path, "--spec", spec.path, "--out", out + ".json"], input: mutated.lastPathComponent, tally: &tally)
            try await Self.check(["validate", "--model", model.path, "--data", mutated.path], input: mutated.lastPathComponent, tally: &tally)
            try await Self.check(
                ["score", "--model", model.path, "--data", mutated.path, "--out", out + ".csv"], input: mutated.lastPathComponent, tally: &tally)
        }
        for run in 0..<Self.runs {
            var bytes = Array(Self.spec.utf8)
            for _ in 0...(rng.next() % 2) { bytes = Self.mutate(bytes, &rng) }
            let mutated = dir.appendingPathComponent("spec-\(run).yaml")
            try Data(bytes).write(to: mutated)
            try await Self.check(
                ["fit", "--data", data.path, "--spec", mutated.path, "--out", dir.appendingPathComponent("spec-\(run).json").path],
                input: mutated.lastPathComponent, tally: &tally)
        }
        // Both ends were reached: some mutations still fit and score, most are refused with 65.
        #expect((tally[0] ?? 0) > 0 && (tally[65] ?? 0) > 0, "exit codes: \(tally)")
    }

    @Test func mutatedWeightFilesWithTheirChecksumRecomputed() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SplitMix64(seed: 2020)
        let data = dir.appendingPathComponent("leads.csv")
        try data.write(Self.csv(&rng))
        let spec = dir.appendingPathComponent("spec.yaml")
        try spec.write(Self.spec)
        let model = dir.appendingPathComponent("model.json")
        let fitted = try await Self.run(["fit", "--data", data.path, "--spec", spec.path, "--out", model.path])
        try #require(fitted.exitCode == 0, "\(fitted.stderr)")
        guard case .object(var original) = try CanonicalJSON.parse([UInt8](try Data(contentsOf: model))) else {
            throw CLITestError("the weight file is not a JSON object")
        }
        original.removeValue(forKey: "sha256")

        var tally: [Int32: Int] = [:]
        for run in 0..<Self.runs {
            var value = JSONValue.object(original)
            for _ in 0...(rng.next() % 2) { value = Self.mutateJSON(value, &rng) }
            guard case .object(var members) = value else { continue }
            members.removeValue(forKey: "sha256")
            members["sha256"] = .string(Checksum.hash(CanonicalJSON.canonicalBytes(.object(members))).hex)
            let forged = dir.appendingPathComponent("forged-\(run).json")
            try Data(CanonicalJSON.prettyBytes(.object(members))).write(to: forged)
            try await Self.check(["validate", "--model", forged.path, "--data", data.path], input: forged.lastPathComponent, tally: &tally)
            try await Self.check(
                ["score", "--model", forged.path, "--data", data.path, "--out", dir.appendingPathComponent("s-\(run).csv").path],
                input: forged.lastPathComponent, tally: &tally)
            try await Self.check(["export", "--model", forged.path, "--format", "sql"], input: forged.lastPathComponent, tally: &tally)
        }
        #expect((tally[65] ?? 0) > 0, "exit codes: \(tally)")
    }
}
