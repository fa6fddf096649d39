extension WeightFile {
    /// Checks that terms and encodings agree, so a scorer can rebuild every term from a raw lead:
    /// `(intercept)` first and only once, unique term names, every other term's column has an
    /// encoding of the matching type, every level term names a known non-baseline level, finite
    /// estimates, and a derived scaling consistent with its inputs.
    /// - Throws: ``WeightFileError/inconsistent(file:detail:)``.
    public func validate(file: String) throws {
        func fail(_ detail: String) -> WeightFileError { .inconsistent(file: file, detail: detail) }
        guard let first = model.first, first.kind == .intercept else {
            throw fail("the first model term must be (intercept)")
        }
        var seen = Set<String>()
        for (index, term) in model.enumerated() {
            guard seen.insert(term.name).inserted else { throw fail("term \"\(term.name)\" appears twice") }
            guard term.estimate.isFinite else { throw fail("term \"\(term.name)\" has a non-finite estimate") }
            if term.kind == .intercept {
                guard index == 0 else { throw fail("a second intercept term \"\(term.name)\"") }
                continue
            }
            guard let column = term.column else { throw fail("term \"\(term.name)\" has no column") }
            guard let encoding = encoding(for: column) else {
                throw fail("term \"\(term.name)\" uses column \"\(column)\", which has no encoding")
            }
            switch term.kind {
            case .intercept: break
            case .numeric:
                guard encoding.type == .numeric else { throw fail("numeric term \"\(term.name)\" but \"\(column)\" is categorical") }
            case .missingIndicator:
                guard encoding.type == .numeric, encoding.missing == .indicator else {
                    throw fail("term \"\(term.name)\" but \"\(column)\" does not use the indicator missing rule")
                }
            case .level:
                guard encoding.type == .categorical else { throw fail("level term \"\(term.name)\" but \"\(column)\" is numeric") }
                guard let level = term.level, encoding.levels.contains(level) else {
                    throw fail("term \"\(term.name)\" names a level that \"\(column)\" does not list")
                }
                guard level != encoding.baseline else {
                    throw fail("term \"\(term.name)\" is the baseline of \"\(column)\", which has no term")
                }
            }
        }
        guard points.pdo > 0, points.baseOdds > 0, points.factor.isFinite, points.offset.isFinite else {
            throw fail("points scaling needs pdo > 0 and base_odds > 0")
        }
        let derived = PointsScale(points.scaling)
        // Relative, not exact: another platform's `log` may differ in the last bit.
        func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }
        guard near(points.factor, derived.factor), near(points.offset, derived.offset) else {
            throw fail(
                "points factor/offset (\(points.factor), \(points.offset)) do not follow from pdo, base_points and base_odds (\(derived.factor), \(derived.offset))"
            )
        }
    }
}
