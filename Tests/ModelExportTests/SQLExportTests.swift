import Foundation
import ModelExport
import ScoringModelFormat
import TestSupport
import Testing

/// A raw lead as the warehouse holds it: NULL is `nil`.
private struct RawLead {
    var age: Double?
    var visits: Double?
    var pages: Double?
    var source: String?
    var size: String?
}

/// Scores a raw lead straight from the encoding rules, independently of the SQL writer.
private func referenceLogOdds(_ lead: RawLead, _ weights: WeightFile) -> Double? {
    var x: [String: Double] = ["(intercept)": 1]
    for encoding in weights.encodings {
        switch encoding.type {
        case .numeric:
            let raw: Double? = encoding.column == "age" ? lead.age : encoding.column == "visits" ? lead.visits : lead.pages
            if raw == nil, encoding.missing == .dropRow || encoding.missing == .error { return nil }
            let value = raw ?? 0
            let transformed = encoding.transform == .log1p ? log1p(value) : value
            x[encoding.transform == .log1p ? "log1p(\(encoding.column))" : encoding.column] = transformed
            if encoding.missing == .indicator { x["missing(\(encoding.column))"] = raw == nil ? 1 : 0 }
        case .categorical:
            let cell = (encoding.column == "size" ? lead.size : lead.source) ?? ""
            let recoded = encoding.recode[cell] ?? cell
            var level = recoded.isEmpty ? "Missing" : recoded
            if encoding.mergedIntoOther[level] != nil || !encoding.levels.contains(level) {
                level = encoding.levels.contains("Other") ? "Other" : (encoding.baseline ?? "")
            }
            x["\(encoding.column)=\(level)"] = 1
        }
    }
    return weights.model.reduce(0) { $0 + $1.estimate * (x[$1.name] ?? 0) }
}

@Suite struct SQLExportTests {
    private static let sourcePool: [String?] = [
        "google", "Google", "ad's", "Ads", "", nil, "fax", "telex", "Other", "O'Reilly", "brand-new", "Missing", "GOOGLE",
    ]
    private static let sizePool: [String?] = ["large", "medium", "small", "tiny", nil, ""]

    private func leads(count: Int) -> [RawLead] {
        var generator = SplitMix64(seed: 99)
        func pick<T>(_ pool: [T]) -> T { pool[Int(generator.next() % UInt64(pool.count))] }
        func number(_ scale: Double, nullOneIn: UInt64) -> Double? {
            if generator.next() % nullOneIn == 0 { return nil }
            return (Double(generator.next() % 100_000) / 100_000 * scale).rounded(.down) + Double(generator.next() % 4) / 4
        }
        var out = [RawLead]()
        // every source and size value at least once, with all numerics present and absent
        for (index, source) in Self.sourcePool.enumerated() {
            out.append(
                RawLead(
                    age: index % 2 == 0 ? nil : 31, visits: index % 3 == 0 ? nil : 4, pages: 7, source: source,
                    size: Self.sizePool[index % Self.sizePool.count]))
        }
        while out.count < count {
            out.append(
                RawLead(
                    age: number(80, nullOneIn: 6), visits: number(50, nullOneIn: 4), pages: number(30, nullOneIn: 15),
                    source: pick(Self.sourcePool), size: pick(Self.sizePool)))
        }
        return out
    }

    /// Runs the expressions in SQLite (Python's sqlite3 module) over the leads; one row of results per lead.
    private func evaluateInSQLite(_ expressions: [String], _ leads: [RawLead]) throws -> (rows: [[Double?]], hadLN: Bool) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-sql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func json(_ value: Any?) -> Any { value ?? NSNull() }
        let payload: [String: Any] = [
            "expressions": expressions,
            "rows": leads.map { [json($0.age), json($0.visits), json($0.pages), json($0.source), json($0.size)] },
        ]
        let input = directory.appendingPathComponent("in.json")
        try JSONSerialization.data(withJSONObject: payload).write(to: input)
        let script = #"""
            import json, math, sqlite3, sys
            payload = json.load(open(sys.argv[1]))
            conn = sqlite3.connect(":memory:")
            try:
                conn.execute("SELECT LN(2.0), EXP(1.0)")
                had_ln = True
            except sqlite3.OperationalError:
                # SQLite built without math functions: register them (see SQLDialect's documentation).
                conn.create_function("LN", 1, math.log)
                conn.create_function("EXP", 1, math.exp)
                had_ln = False
            conn.execute('CREATE TABLE leads (age REAL, visits REAL, pages REAL, "lead ""source""" TEXT, size TEXT)')
            conn.executemany("INSERT INTO leads VALUES (?, ?, ?, ?, ?)", payload["rows"])
            columns = ", ".join(payload["expressions"])
            rows = conn.execute(f"SELECT {columns} FROM leads ORDER BY rowid").fetchall()
            json.dump({"rows": [list(r) for r in rows], "had_ln": had_ln}, sys.stdout)
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, input.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3/sqlite3 failed: \(errorText)")
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(result["rows"] as? [[Any]])
        return (rows.map { $0.map { ($0 as? NSNumber)?.doubleValue } }, (result["had_ln"] as? Bool) ?? false)
    }

    @Test func sqliteAgreesWithTheEncodingRules() throws {
        let weights = WeightFileFixture.file()
        let leads = leads(count: 400)
        let expressions = try [SQLScoreOutput.points, .logOdds, .probability].map {
            try SQLExport.scoreExpression(for: weights, dialect: .sqlite, output: $0)
        }
        let (rows, _) = try evaluateInSQLite(expressions, leads)
        try #require(rows.count == leads.count)
        var scored = 0
        for (lead, row) in zip(leads, rows) {
            guard let eta = referenceLogOdds(lead, weights) else {
                #expect(row == [nil, nil, nil], "a lead missing a drop_row column must score NULL: \(lead)")
                continue
            }
            scored += 1
            let points = weights.points.points(logOdds: eta)
            let probability = 1 / (1 + exp(-eta))
            #expect(isClose(row[0] ?? .nan, points, absolute: 1e-9, relative: 1e-13), "points \(lead)")
            #expect(isClose(row[1] ?? .nan, eta, absolute: 1e-12, relative: 1e-13), "log-odds \(lead)")
            #expect(isClose(row[2] ?? .nan, probability, absolute: 1e-14, relative: 1e-12), "probability \(lead)")
        }
        #expect(scored > 300)
    }

    /// Categorical rules one by one, through SQLite: the points each raw value adds over the baseline.
    @Test(
        arguments: [
            ("google", "Google"), ("Google", "Google"), ("GOOGLE", "Other"), ("ad's", "Ads"), ("Ads", "Ads"),
            ("", "Missing"), (nil, "Missing"), ("fax", "Other"), ("Other", "Other"), ("O'Reilly", "O'Reilly"),
            ("never-seen", "Other"),
        ] as [(String?, String)])
    func sourceLevels(raw: String?, level: String) throws {
        let weights = WeightFileFixture.file()
        let expression = try SQLExport.scoreExpression(for: weights, dialect: .sqlite, output: .logOdds)
        let base = RawLead(age: 0, visits: 0, pages: 0, source: raw, size: "small")
        let (rows, _) = try evaluateInSQLite([expression], [base])
        let expected = weights.intercept + (weights.model.first { $0.name == "lead \"source\"=\(level)" }?.estimate ?? 0)
        #expect(isClose(rows[0][0] ?? .nan, expected, absolute: 1e-15, relative: 1e-14))
    }

    @Test func unseenLevelWithoutOtherFallsToTheBaseline() throws {
        let weights = WeightFileFixture.file()
        let expression = try SQLExport.scoreExpression(for: weights, dialect: .sqlite, output: .logOdds)
        let leads = [nil, "", "tiny", "small", "large"].map { RawLead(age: 0, visits: 0, pages: 0, source: "Ads", size: $0) }
        let (rows, _) = try evaluateInSQLite([expression], leads)
        let large = try #require(weights.model.first { $0.name == "size=large" }).estimate
        #expect(rows.map { $0[0] } == [weights.intercept, weights.intercept, weights.intercept, weights.intercept, weights.intercept + large])
    }

    @Test func quotingAndNumberSpelling() throws {
        let weights = WeightFileFixture.file()
        let sql = try SQLExport.scoreExpression(for: weights, dialect: .standard, output: .logOdds)
        #expect(
            sql.hasPrefix(
                "((-2.25) + 0.013 * COALESCE(\"age\", 0) + 0.41 * LN(1 + COALESCE(\"visits\", 0)) + (-0.7) * (CASE WHEN \"visits\" IS NULL THEN 1 ELSE 0 END) + 1e-07 * \"pages\" + (CASE WHEN \"lead \"\"source\"\"\" IS NULL"
            ))
        #expect(sql.contains("'O''Reilly'"))
        #expect(sql.contains("'ad''s'"))
        #expect(!sql.contains("--"))
        let postgres = try SQLExport.scoreExpression(for: weights, dialect: .postgreSQL, output: .probability)
        #expect(postgres.hasPrefix("1.0/(1.0+EXP(-((-2.25::float8) + 0.013::float8 * COALESCE(\"age\", 0)"))
        let select = try SQLExport.selectStatement(for: weights, table: "raw leads", dialect: .sqlite)
        #expect(select.hasPrefix("SELECT \"lead_id\", ("))
        #expect(select.hasSuffix(" AS \"score\" FROM \"raw leads\""))
    }

    /// Exactly one branch value per distinct contribution, so the CASE stays short and deterministic.
    @Test func expressionIsDeterministic() throws {
        let weights = WeightFileFixture.file()
        let first = try SQLExport.scoreExpression(for: weights)
        for _ in 0..<5 { #expect(try SQLExport.scoreExpression(for: weights) == first) }
    }
}
