import Foundation
import ModelExport
import ScoringModelFormat
import TestSupport
import Testing

/// A raw lead as CSV cells: nil is an empty / NULL cell.
private typealias RawCells = [String: String?]

/// The native score: each encoding's ``FeatureEncoding/encode(rawCell:)`` times the weight file's estimates,
/// in term order, as `baton validate` scores; nil when the lead cannot be scored (a `drop_row` / `error`
/// column is missing).
private func nativeLogOdds(_ lead: RawCells, _ weights: WeightFile) -> Double? {
    var values: [Double] = [1]
    for encoding in weights.encodings {
        guard let cell = try? encoding.encode(rawCell: lead[encoding.column] ?? nil) else { return nil }
        values += cell.values
    }
    precondition(values.count == weights.model.count)
    return zip(weights.model, values).reduce(0) { $0 + $1.0.estimate * $1.1 }
}

@Suite(.serialized) struct PMMLExportTests {
    private static let sources: [String?] = [
        "google", "Google", " Google ", "ad's", "Ads", "", nil, "fax", "telex", "Other", "O'Reilly", "brand-new",
        "Missing", "GOOGLE", "\tfax", "a<b&c",
    ]
    private static let sizes: [String?] = ["large", "medium", "small", "tiny", nil, "", " large"]

    /// Every categorical spelling at least once, then random leads (seeded), numbers present and missing.
    private func leads(count: Int) -> [RawCells] {
        var generator = SplitMix64(seed: 2024)
        func number(_ scale: Double, nullOneIn: UInt64) -> String? {
            if generator.next() % nullOneIn == 0 { return nil }
            let value = Double(generator.next() % 1_000_000) / 1_000_000 * scale
            return String(generator.next() % 3 == 0 ? value.rounded() : value)
        }
        var out: [RawCells] = []
        for (index, source) in Self.sources.enumerated() {
            out.append([
                "age": index % 2 == 0 ? nil : "31", "visits": index % 3 == 0 ? nil : "0.001", "pages": "7",
                "lead \"source\"": source, "size": Self.sizes[index % Self.sizes.count],
            ])
        }
        while out.count < count {
            out.append([
                "age": number(80, nullOneIn: 6), "visits": number(50, nullOneIn: 4), "pages": number(30, nullOneIn: 15),
                "lead \"source\"": Self.sources[Int(generator.next() % UInt64(Self.sources.count))],
                "size": Self.sizes[Int(generator.next() % UInt64(Self.sizes.count))],
            ])
        }
        return out
    }

    @Test func binnedDocumentShape() throws {
        let weights = WeightFileFixture.binnedFile()
        #expect(weights.format == "baton.weights/2")
        #expect(try WeightFile.decode(data: try weights.encoded(), file: "b.json") == weights)
        let pmml = try PMMLExport.document(for: weights)
        #expect(pmml.contains("<SimplePredicate field=\"age\" operator=\"lessThan\" value=\"40.5\"/>"))
        #expect(pmml.contains("<SimplePredicate field=\"age\" operator=\"isMissing\"/>"))
        // A file with bins that claims the older format is refused.
        var old = weights
        old.format = "baton.weights/1"
        #expect(throws: WeightFileError.self) { try old.validate(file: "b.json") }
    }

    @Test func documentShapeAndDeterminism() throws {
        let weights = WeightFileFixture.file()
        let pmml = try PMMLExport.document(for: weights)
        #expect(pmml == (try PMMLExport.document(for: weights)))
        #expect(pmml.contains("<PMML version=\"4.4\" xmlns=\"http://www.dmg.org/PMML-4_4\">"))
        #expect(pmml.contains("<Scorecard functionName=\"regression\" initialScore=\"\(weights.baseScore)\""))
        #expect(pmml.contains("<Apply function=\"ln1p\">"))
        #expect(pmml.contains("<raw>O&apos;Reilly</raw>"))
        #expect(pmml.contains("missingValueTreatment=\"returnInvalid\" name=\"pages\""))
        // Unseen sizes fall to the baseline (no Other level), unseen sources to Other.
        #expect(pmml.contains("defaultValue=\"small\""))
        #expect(pmml.contains("defaultValue=\"Other\""))
    }

    /// Validates against the PMML 4.4 schema shipped in jpmml-evaluator's pmml-model jar, then scores a sample
    /// with two independent evaluators (JPMML-Evaluator and PyPMML, both Java) and compares with the native score.
    /// Also on a model with binned features (issue 15): bins with a `Missing` bin and bins under `missing: zero`.
    @Test(arguments: [false, true])
    func evaluatorsAgreeWithTheNativeScore(binned: Bool) throws {
        let weights = binned ? WeightFileFixture.binnedFile() : WeightFileFixture.file()
        let leads = leads(count: 300)
        let results = try evaluate(pmml: try PMMLExport.document(for: weights), leads: leads)
        #expect(results.schemaErrors == nil, "PMML 4.4 XSD: \(results.schemaErrors ?? "")")
        for (name, rows) in [("jpmml", results.jpmml), ("pypmml", results.pypmml)] {
            try #require(rows.count == leads.count)
            var scored = 0
            for (lead, row) in zip(leads, rows) {
                guard let eta = nativeLogOdds(lead, weights) else {
                    #expect(row["points"] == nil, "\(name): a lead missing a drop_row column must get no score: \(lead)")
                    continue
                }
                scored += 1
                let points = weights.points.points(logOdds: eta)
                #expect(isClose(row["points"] ?? .nan, points, mixed: 1e-12), "\(name) points \(lead): \(row) vs \(points)")
                #expect(isClose(row["log_odds"] ?? .nan, eta, mixed: 1e-12), "\(name) log-odds \(lead): \(row) vs \(eta)")
                #expect(isClose(row["probability"] ?? .nan, 1 / (1 + exp(-eta)), mixed: 1e-12), "\(name) probability \(lead)")
            }
            #expect(scored > 250)
        }
    }

    /// The SQL export run in SQLite on the same kind of sample equals the native score (cells without
    /// surrounding blanks: SQL compares raw text exactly, see ``SQLExport``).
    @Test(arguments: [false, true])
    func sqliteAgreesWithTheNativeScore(binned: Bool) throws {
        let weights = binned ? WeightFileFixture.binnedFile() : WeightFileFixture.file()
        let leads = leads(count: 300).filter { lead in
            lead.values.allSatisfy { cell in cell.map { $0 == $0.trimmingCharacters(in: .whitespaces) } ?? true }
        }
        let columns = ["age", "visits", "pages", "lead \"source\"", "size"]
        let expressions = try [SQLScoreOutput.points, .logOdds].map { try SQLExport.scoreExpression(for: weights, dialect: .sqlite, output: $0) }
        let script = #"""
            import json, math, sqlite3, sys
            payload = json.load(open(sys.argv[1]))
            conn = sqlite3.connect(":memory:")
            try:
                conn.execute("SELECT LN(2.0)")
            except sqlite3.OperationalError:
                conn.create_function("LN", 1, math.log)
            conn.execute('CREATE TABLE leads (age REAL, visits REAL, pages REAL, "lead ""source""" TEXT, size TEXT)')
            conn.executemany("INSERT INTO leads VALUES (?, ?, ?, ?, ?)", payload["rows"])
            rows = conn.execute("SELECT " + ", ".join(payload["expressions"]) + " FROM leads ORDER BY rowid").fetchall()
            json.dump([list(r) for r in rows], sys.stdout)
            """#
        let rows: [[Any]] = leads.map { lead in
            columns.enumerated().map { index, column -> Any in
                guard let cell = lead[column] ?? nil else { return NSNull() }
                return index < 3 ? (Double(cell) ?? 0) as Any : cell as Any
            }
        }
        let output = try runPython(script, payload: ["rows": rows, "expressions": expressions], python: "/usr/bin/python3")
        let scores = try #require(try JSONSerialization.jsonObject(with: output) as? [[Any]])
        try #require(scores.count == leads.count)
        var scored = 0
        for (lead, row) in zip(leads, scores) {
            let values = row.map { ($0 as? NSNumber)?.doubleValue }
            guard let eta = nativeLogOdds(lead, weights) else {
                #expect(values == [nil, nil], "\(lead)")
                continue
            }
            scored += 1
            #expect(isClose(values[0] ?? .nan, weights.points.points(logOdds: eta), mixed: 1e-12), "points \(lead)")
            #expect(isClose(values[1] ?? .nan, eta, mixed: 1e-12), "log-odds \(lead)")
        }
        #expect(scored > 150)
    }

    private struct Evaluations {
        var schemaErrors: String?
        var jpmml: [[String: Double]]
        var pypmml: [[String: Double]]
    }

    private func evaluate(pmml: String, leads: [RawCells]) throws -> Evaluations {
        let python = try PythonTooling.venv(packages: ["jpmml-evaluator", "pypmml", "xmlschema"])
        let script = #"""
            import glob, json, math, os, sys, tempfile, zipfile
            payload = json.load(open(sys.argv[1]))
            pmml_path = sys.argv[2]
            import jpmml_evaluator, xmlschema
            jars = glob.glob(os.path.join(os.path.dirname(jpmml_evaluator.__file__), "dependencies", "pmml-model-*.jar"))
            xsd = None
            for path in jars:
                with zipfile.ZipFile(path) as jar:
                    if "pmml.xsd" in jar.namelist():
                        xsd = jar.read("pmml.xsd").decode("utf-8")
            if xsd is None:
                sys.exit("no pmml.xsd in jpmml_evaluator's pmml-model jars: cannot validate against the PMML 4.4 XSD")
            schema = xmlschema.XMLSchema(xsd)
            errors = [str(e) for e in schema.iter_errors(pmml_path)]
            leads = payload["leads"]
            def clean(v):
                return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            from jpmml_evaluator import make_evaluator
            evaluator = make_evaluator(pmml_path).verify()
            jp = []
            for lead in leads:
                try:
                    result = evaluator.evaluate(lead)
                    jp.append({k: clean(result.get(k)) for k in ("points", "log_odds", "probability")})
                except Exception as error:
                    jp.append({"error": str(error)[:200]})
            from pypmml import Model
            model = Model.fromFile(pmml_path)
            pp = []
            for lead in leads:
                try:
                    result = model.predict(lead)
                    pp.append({k: clean(result.get(k)) for k in ("points", "log_odds", "probability")})
                except Exception as error:
                    pp.append({"error": str(error)[:200]})
            json.dump({"schema_errors": errors[:5], "jpmml": jp, "pypmml": pp}, sys.stdout)
            """#
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-pmml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pmmlFile = directory.appendingPathComponent("model.pmml")
        try Data(pmml.utf8).write(to: pmmlFile)
        // Numbers go in as numbers, missing cells as null.
        let rows: [[String: Any]] = leads.map { lead in
            var row: [String: Any] = [:]
            for (column, cell) in lead {
                if let cell {
                    row[column] = ["age", "visits", "pages"].contains(column) ? (Double(cell) ?? 0) as Any : cell as Any
                } else {
                    row[column] = NSNull()
                }
            }
            return row
        }
        let output = try runPython(script, payload: ["leads": rows], python: python.path, extra: [pmmlFile.path])
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        func table(_ key: String) -> [[String: Double]] {
            ((json[key] as? [[String: Any]]) ?? []).map { row in row.compactMapValues { ($0 as? NSNumber)?.doubleValue } }
        }
        let errors = (json["schema_errors"] as? [String]) ?? ["unreadable"]
        return Evaluations(schemaErrors: errors.isEmpty ? nil : errors.joined(separator: "\n"), jpmml: table("jpmml"), pypmml: table("pypmml"))
    }

    private func runPython(_ script: String, payload: [String: Any], python: String, extra: [String] = []) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.json")
        try JSONSerialization.data(withJSONObject: payload).write(to: input)
        let scriptFile = directory.appendingPathComponent("run.py")
        try Data(script.utf8).write(to: scriptFile)
        let outFile = directory.appendingPathComponent("out.json")
        let (status, output) = try PythonTooling.run(
            "/bin/sh", ["-c", "\"$0\" \"$1\" \"$2\" \"$3\" > \"$4\"", python, scriptFile.path, input.path, extra.first ?? "", outFile.path])
        try #require(status == 0, "python failed: \(output)")
        return try Data(contentsOf: outFile)
    }
}
