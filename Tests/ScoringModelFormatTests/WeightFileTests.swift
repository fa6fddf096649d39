import Foundation
import ScoringModelFormat
import TestSupport
import Testing

@Suite struct WeightFileTests {
    private func tree(_ data: Data) throws -> [String: JSONValue] {
        guard case .object(let members) = try CanonicalJSON.parse([UInt8](data)) else {
            throw CanonicalJSONError.syntax(offset: 0, detail: "not an object")
        }
        return members
    }

    private func rewritten(_ data: Data, _ edit: (inout [String: JSONValue]) -> Void, rehash: Bool) throws -> Data {
        var members = try tree(data)
        edit(&members)
        if rehash {
            members.removeValue(forKey: "sha256")
            members["sha256"] = .string(Checksum.hash(CanonicalJSON.canonicalBytes(.object(members))).hex)
        }
        return Data(CanonicalJSON.prettyBytes(.object(members)))
    }

    @Test func writesTheDocumentedShape() throws {
        let members = try tree(try WeightFileFixture.file().encoded())
        #expect(Set(members.keys) == ["format", "model", "encodings", "spec", "points", "thresholds", "training", "metrics", "sha256"])
        #expect(members["format"] == .string("baton.weights/1"))
        guard case .array(let terms)? = members["model"], case .object(let first)? = terms.first else {
            Issue.record("no terms")
            return
        }
        #expect(Set(first.keys) == ["name", "kind", "estimate", "std_error", "points_per_unit"])
        #expect(first["name"] == .string("(intercept)"))
        #expect(members["points"]?["factor"] != nil && members["points"]?["offset"] != nil)
        #expect(members["training"]?["input_sha256"] != nil)
        #expect(members["metrics"]?["hosmer_lemeshow"]?["p_value"] == .double(0.386))
        #expect(members["encodings"].map { if case .array(let e) = $0 { return e.count } else { return 0 } } == 5)
    }

    @Test func checksumIsOverTheCanonicalContentWithoutItself() throws {
        let file = WeightFileFixture.file()
        var members = try tree(try file.encoded())
        guard case .string(let recorded)? = members.removeValue(forKey: "sha256") else {
            Issue.record("no sha256")
            return
        }
        #expect(recorded == Checksum.hash(CanonicalJSON.canonicalBytes(.object(members))).hex)
        #expect(recorded == (try file.checksum()))
        #expect(recorded.count == 64)
    }

    @Test func pointsPerUnitIsFactorTimesEstimate() {
        let file = WeightFileFixture.file()
        let factor = 20 / log(2.0)
        #expect(file.points.factor == factor)
        #expect(file.points.offset == 600 - factor * log(50.0))
        for term in file.model { #expect(term.pointsPerUnit == factor * term.estimate) }
        #expect(file.baseScore == file.points.offset + factor * -2.25)
        #expect(file.thresholds == Thresholds(mql: 560))
    }

    @Test func fileRoundTripsThroughDisk() throws {
        let file = WeightFileFixture.file()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try file.write(to: url)
        #expect(try WeightFile.load(from: url) == file)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"encodings\": ["))
    }

    /// Property: estimates drawn over every bit pattern a weight file may hold (subnormals, ±0, up
    /// to ±``WeightFile/largestEstimate``) read back bit-exact.
    @Test func randomEstimatesRoundTripBitExact() throws {
        var generator = SplitMix64(seed: 11)
        let specials: [Double] = [0.1, 1e6, -0.0, 5e-324, -2.2250738585072014e-308, 1e-7, 2.0, -1e-300, 0.3, -999_999.999_999_9, 1.0 / 3.0]
        for round in 0..<60 {
            var estimates = [Double]()
            while estimates.count < WeightFileFixture.terms.count {
                let candidate = round == 0 ? specials[estimates.count] : Double(bitPattern: generator.next())
                if candidate.isFinite, abs(candidate) <= WeightFile.largestEstimate { estimates.append(candidate) }
            }
            let file = WeightFileFixture.file(estimates: estimates)
            let back = try WeightFile.decode(data: try file.encoded(), file: "random.json")
            #expect(back == file)
            for (a, b) in zip(file.model, back.model) {
                #expect(a.estimate.bitPattern == b.estimate.bitPattern)
                #expect(a.pointsPerUnit.bitPattern == b.pointsPerUnit.bitPattern)
            }
        }
    }

    @Test func editedFileIsRefused() throws {
        let data = try WeightFileFixture.file().encoded()
        let text = String(decoding: data, as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"estimate\": 0.55", with: "\"estimate\": 0.65")
        #expect(edited != text)
        let error = #expect(throws: WeightFileError.self) { try WeightFile.decode(data: Data(edited.utf8), file: "model.json") }
        guard case .checksumMismatch(let file, _, _)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(file == "model.json")
        #expect(
            error?.description.contains("checksum mismatch: the file was edited or damaged after export; re-export with `baton fit`/`baton export`")
                == true)
    }

    @Test func reformattingWithoutChangingContentIsAccepted() throws {
        let file = WeightFileFixture.file()
        let compact = Data(CanonicalJSON.canonicalBytes(.object(try tree(try file.encoded()))))
        #expect(try WeightFile.decode(data: compact, file: "compact.json") == file)
    }

    @Test func newerVersionIsRefusedWithAdvice() throws {
        let data = try rewritten(try WeightFileFixture.file().encoded(), { $0["format"] = .string("baton.weights/3") }, rehash: true)
        let error = #expect(throws: WeightFileError.self) { try WeightFile.decode(data: data, file: "next.json") }
        #expect(error == .newerVersion(file: "next.json", found: "baton.weights/3"))
        #expect(
            error?.description
                == "next.json: format \"baton.weights/3\" is newer than this build reads (baton.weights/2); upgrade baton, or re-export the model with this version's `baton export`"
        )
    }

    @Test(arguments: ["pmml/4.4", "baton.weights", "baton.weights/x", "baton.weights/0", "baton.spec/1"])
    func otherFormatsAreRefused(format: String) throws {
        let data = try rewritten(try WeightFileFixture.file().encoded(), { $0["format"] = .string(format) }, rehash: true)
        #expect(throws: WeightFileError.wrongFormat(file: "x.json", found: format)) { try WeightFile.decode(data: data, file: "x.json") }
    }

    @Test func notJSONAndNotAnObjectAndNoChecksum() throws {
        #expect(throws: WeightFileError.self) { try WeightFile.decode(data: Data("outcome: won".utf8), file: "spec.yaml") }
        #expect(throws: WeightFileError.wrongFormat(file: "a.json", found: nil)) { try WeightFile.decode(data: Data("[1]".utf8), file: "a.json") }
        let data = try rewritten(try WeightFileFixture.file().encoded(), { $0.removeValue(forKey: "sha256") }, rehash: false)
        #expect(throws: WeightFileError.missingChecksum(file: "b.json")) { try WeightFile.decode(data: data, file: "b.json") }
    }

    @Test func missingMemberNamesItsKeyPath() throws {
        let data = try rewritten(
            try WeightFileFixture.file().encoded(),
            { members in
                if case .object(var training)? = members["training"] {
                    training.removeValue(forKey: "input_sha256")
                    members["training"] = .object(training)
                }
            }, rehash: true)
        #expect(throws: WeightFileError.invalidContent(file: "c.json", key: "training.input_sha256", detail: "required member is missing")) {
            try WeightFile.decode(data: data, file: "c.json")
        }
    }

    @Test func nonFiniteMetricIsRefusedOnWrite() {
        var file = WeightFileFixture.file()
        file.metrics.calibrationSlope = .infinity
        #expect(throws: WeightFileError.nonFiniteNumber(key: "metrics.calibration_slope", value: "inf")) { try file.encoded() }
    }

    @Test func inconsistentModelsAreRefused() throws {
        var noEncoding = WeightFileFixture.file()
        noEncoding.encodings.removeLast()
        #expect(throws: WeightFileError.self) { try noEncoding.validate(file: "m.json") }

        var baselineTerm = WeightFileFixture.file()
        baselineTerm.model.append(
            WeightedTerm(
                term: Term(name: "size=small", kind: .level, column: "size", level: "small", group: .fit),
                estimate: 0.2, stdError: nil, factor: baselineTerm.points.factor))
        #expect(throws: WeightFileError.self) { try baselineTerm.validate(file: "m.json") }

        var interceptLast = WeightFileFixture.file()
        interceptLast.model.reverse()
        #expect(throws: WeightFileError.self) { try interceptLast.validate(file: "m.json") }

        var badScale = WeightFileFixture.file()
        badScale.points.offset += 1
        #expect(throws: WeightFileError.self) { try badScale.validate(file: "m.json") }

        // A checksum proves integrity, not sense: a term left out, an absurd estimate, points
        // that do not follow from β, or an absurd scale are refused too (issue 20).
        for term in 1..<WeightFileFixture.file().model.count {
            var missingTerm = WeightFileFixture.file()
            let removed = missingTerm.model.remove(at: term)
            let error = #expect(throws: WeightFileError.self) { try missingTerm.validate(file: "m.json") }
            #expect(error?.description.contains("has no") == true, "removing \(removed.name): \(String(describing: error))")
        }
        var huge = WeightFileFixture.file()
        huge.model[1].estimate = 1e308
        huge.model[1].pointsPerUnit = huge.points.factor * 1e308
        #expect(
            throws: WeightFileError.inconsistent(
                file: "m.json",
                detail: "term \"\(huge.model[1].name)\" has estimate 1e+308, beyond ±1000000.0; refit the model (a separated fit needs `penalty:`)")
        ) {
            try huge.validate(file: "m.json")
        }
        var points = WeightFileFixture.file()
        points.model[2].pointsPerUnit = 1e308
        let pointsError = #expect(throws: WeightFileError.self) { try points.validate(file: "m.json") }
        #expect(pointsError?.description.contains("points_per_unit 1e+308, but factor·β is") == true)
        var scale = WeightFileFixture.file()
        scale.points = PointsScale(PointsScaling(basePoints: 1e300, baseOdds: 50, pdo: 20))
        for j in scale.model.indices { scale.model[j].pointsPerUnit = scale.points.factor * scale.model[j].estimate }
        #expect(throws: WeightFileError.self) { try scale.validate(file: "m.json") }

        // and the loader runs the same checks
        let data = try badScale.encoded()
        #expect(throws: WeightFileError.self) { try WeightFile.decode(data: data, file: "m.json") }
        try WeightFileFixture.file().validate(file: "m.json")
    }
}
