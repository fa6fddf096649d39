import Foundation
import ScoringModelFormat
import Testing

/// Issue 20's adversarial suite for the lab's commands, as tables: weight files edited with their
/// checksum recomputed (a checksum proves integrity, not sense), and hostile cells through
/// `baton score`, each with its exit code and a word of its message; never a crash (exit ≥ 128).
@Suite struct HostileCLITests {
    static let spec = """
        outcome: {column: won, positive: ["1"]}
        features:
          - {column: visits, type: numeric}
          - {column: source, type: categorical}
        """

    /// A fitted model with a raw numeric feature (the audit's crash needs one) and its data.
    static func fitted(_ dir: URL) async throws -> (model: URL, data: URL) {
        var rows = ["visits,source,won"]
        for i in 0..<120 { rows.append("\(i % 9),\(["ads", "event", "web"][i % 3]),\((i * 7) % 5 < 2 ? 1 : 0)") }
        let data = dir.appendingPathComponent("d.csv")
        try (rows.joined(separator: "\n") + "\n").write(to: data, atomically: true, encoding: .utf8)
        let spec = dir.appendingPathComponent("s.yaml")
        try spec.write(Self.spec)
        let model = dir.appendingPathComponent("m.json")
        let fit = try await CLI.run(["fit", "--data", data.path, "--spec", spec.path, "--out", model.path])
        try #require(fit.exitCode == 0, "\(fit.stderr)")
        return (model, data)
    }

    /// The weight file with `edit` applied and its checksum recomputed, as a forger would.
    static func forged(_ model: URL, to out: URL, rehash: Bool = true, _ edit: (inout [String: JSONValue]) -> Void) throws {
        guard case .object(var members) = try CanonicalJSON.parse([UInt8](try Data(contentsOf: model))) else { throw CLITestError("not an object") }
        edit(&members)
        if rehash {
            members.removeValue(forKey: "sha256")
            members["sha256"] = .string(Checksum.hash(CanonicalJSON.canonicalBytes(.object(members))).hex)
        }
        try Data(CanonicalJSON.prettyBytes(.object(members))).write(to: out)
    }

    static func terms(_ m: [String: JSONValue]) -> [JSONValue] { if case .array(let t)? = m["model"] { return t } else { return [] } }

    static func setTerm(_ m: inout [String: JSONValue], _ index: Int, _ key: String, _ value: JSONValue) {
        var t = terms(m)
        guard case .object(var term) = t[index] else { return }
        term[key] = value
        t[index] = .object(term)
        m["model"] = .array(t)
    }

    @Test func forgedWeightFilesAreRefusedByValidateAndScore() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (model, data) = try await Self.fitted(dir)
        let cases: [(String, Bool, (inout [String: JSONValue]) -> Void, String)] = [
            (
                "a term removed", true,
                { m in
                    var t = Self.terms(m)
                    t.remove(at: 1)
                    m["model"] = .array(t)
                }, "has no term"
            ),
            (
                "the last term removed", true,
                { m in
                    var t = Self.terms(m)
                    t.removeLast()
                    m["model"] = .array(t)
                }, "has no"
            ),
            ("points_per_unit 1e308", true, { m in Self.setTerm(&m, 1, "points_per_unit", .double(1e308)) }, "points_per_unit"),
            ("estimate 1e7", true, { m in Self.setTerm(&m, 1, "estimate", .double(1e7)) }, "beyond ±1000000"),
            (
                "a term twice", true,
                { m in
                    var t = Self.terms(m)
                    t.append(t[1])
                    m["model"] = .array(t)
                }, "twice"
            ),
            ("an unknown level", true, { m in Self.setTerm(&m, 2, "level", .string("nowhere")) }, "level"),
            ("intercept last", true, { m in m["model"] = .array(Self.terms(m).reversed()) }, "intercept"),
            (
                "an encoding removed", true,
                { m in
                    if case .array(var e)? = m["encodings"] {
                        e.removeLast()
                        m["encodings"] = .array(e)
                    }
                }, "encoding"
            ),
            (
                "base points 1e300", true,
                { m in
                    if case .object(var p)? = m["points"] {
                        p["base_points"] = .double(1e300)
                        m["points"] = .object(p)
                    }
                }, "points"
            ),
            ("a newer format", true, { m in m["format"] = .string("baton.weights/9") }, "baton.weights/9"),
            ("an edit without the checksum", false, { m in Self.setTerm(&m, 1, "estimate", .double(0.123)) }, "checksum"),
        ]
        var index = 0
        for (name, rehash, edit, says) in cases {
            index += 1
            let forged = dir.appendingPathComponent("forged-\(index).json")
            try Self.forged(model, to: forged, rehash: rehash, edit)
            let validate = try await CLI.run(["validate", "--model", forged.path, "--data", data.path])
            #expect(
                validate.exitCode == 65 && validate.stderr.contains(forged.lastPathComponent) && validate.stderr.contains(says),
                "validate, \(name): \(validate.exitCode) \(validate.stderr)")
            let score = try await CLI.run(["score", "--model", forged.path, "--data", data.path, "--out", dir.appendingPathComponent("s.csv").path])
            #expect(score.exitCode == 65 && score.stderr.contains(says), "score, \(name): \(score.exitCode) \(score.stderr)")
        }
        for (name, bytes) in [
            ("an empty file", Data()), ("a truncated file", try Data(contentsOf: model).prefix(200)), ("NaN", Data(#"{"estimate": NaN}"#.utf8)),
        ] {
            let broken = dir.appendingPathComponent("broken.json")
            try bytes.write(to: broken)
            for command in [
                ["validate", "--model", broken.path, "--data", data.path],
                ["score", "--model", broken.path, "--data", data.path, "--out", dir.appendingPathComponent("s.csv").path],
            ] {
                let r = try await CLI.run(command)
                #expect(r.exitCode == 65 && r.stderr.contains("broken.json"), "\(command[0]), \(name): \(r.exitCode) \(r.stderr)")
            }
        }
    }

    @Test func hostileCellsAreNamedNeverACrash() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (model, _) = try await Self.fitted(dir)
        let cases: [(String, String, Int32, String)] = [
            ("1e300 in a raw feature (the audit's crash)", "1e300", 65, "10^15"), ("-1e300", "-1e300", 65, "10^15"), ("1e16", "1e16", 65, "10^15"),
            ("1e400 overflows a Double", "1e400", 65, "finite"), ("inf", "inf", 65, "not a number"), ("NaN", "NaN", 65, "not a number"),
            ("text", "many", 65, "not a number"), ("hex", "0x10", 65, "not a number"), ("a comma decimal", "\"1,5\"", 65, "not a number"),
        ]
        for (name, cell, code, says) in cases {
            let data = dir.appendingPathComponent("score-\(abs(name.hashValue)).csv")
            try "visits,source\n3,web\n\(cell),ads\n".write(to: data, atomically: true, encoding: .utf8)
            let r = try await CLI.run(["score", "--model", model.path, "--data", data.path, "--out", dir.appendingPathComponent("s.csv").path])
            #expect(r.exitCode == code && r.stderr.contains("line 3") && r.stderr.contains(says), "\(name): \(r.exitCode) \(r.stderr)")
            #expect(r.exitCode < 128, "\(name) crashed")
        }
        let big = dir.appendingPathComponent("edge.csv")
        try "visits,source\n1e15,web\n".write(to: big, atomically: true, encoding: .utf8)
        let edge = try await CLI.run(["score", "--model", model.path, "--data", big.path, "--out", dir.appendingPathComponent("s.csv").path])
        #expect(edge.exitCode == 0, "the bound itself scores: \(edge.stderr)")
    }
}

extension HostileCLITests {
    /// The lab reads numbers with the scorer's bound: a cell beyond ±10^15 stops `fit` and
    /// `validate` with its line and column instead of fitting a model no lead could be scored by.
    @Test func cellsBeyondTheBoundStopTheFit() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (model, _) = try await Self.fitted(dir)
        let spec = dir.appendingPathComponent("s.yaml")
        for (cell, code) in [("1e16", Int32(65)), ("-2000000000000000", 65), ("99999999999999999999", 65), ("1000000000000000", 0)] {
            var rows = ["visits,source,won"]
            for i in 0..<60 { rows.append("\(i % 9),\(["ads", "event", "web"][i % 3]),\(i % 4 == 0 ? 1 : 0)") }
            rows.append("\(cell),web,1")
            let data = dir.appendingPathComponent("big.csv")
            try (rows.joined(separator: "\n") + "\n").write(to: data, atomically: true, encoding: .utf8)
            let fit = try await CLI.run(["fit", "--data", data.path, "--spec", spec.path, "--out", dir.appendingPathComponent("big.json").path])
            // The bound itself is read (the fit may still refuse such an outlier for its own reasons).
            #expect(code == 0 ? !fit.stderr.contains("10^15") : fit.exitCode == code, "fit with \(cell): \(fit.exitCode) \(fit.stderr)")
            let validate = try await CLI.run(["validate", "--model", model.path, "--data", data.path])
            #expect(validate.exitCode == code, "validate with \(cell): \(validate.exitCode) \(validate.stderr)")
            if code != 0 {
                #expect(fit.stderr.contains("big.csv line 62") && fit.stderr.contains("visits") && fit.stderr.contains("10^15"), "\(fit.stderr)")
            }
        }
    }
}

struct CLITestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
