import BatonSupport

extension WeightFile {
    /// The largest |β| a weight file may hold. A logistic coefficient beyond it means a separated
    /// or broken fit (a 0/1 term at |β| = 50 already multiplies the odds by 10²¹), and with every
    /// raw value bounded by ``FeatureEncoding/largestMagnitude`` it keeps every sum finite.
    public static let largestEstimate = 1e6
    /// The largest |base points| and PDO a points scale may use: a scale beyond it prints
    /// numbers no one reads, and it keeps points finite.
    public static let largestPoints = 1e9

    /// Checks that the file makes sense, not only that it is intact (the checksum proves
    /// that): a scorer can rebuild every term from a raw lead, and every number is bounded.
    ///
    /// `(intercept)` first and only once, unique term names, every other term's column has an
    /// encoding of the matching type, every level term names a known non-baseline level; every
    /// encoding has all the terms it needs (its value term, its missing indicator, one term per
    /// non-baseline level), so no term can be left out unnoticed; finite estimates within
    /// ±``largestEstimate``; `points_per_unit` equal to factor·β; a derived scaling consistent
    /// with its inputs and within ±``largestPoints``.
    /// - Throws: ``WeightFileError/inconsistent(file:detail:)`` saying which term or encoding.
    public func validate(file: String) throws {
        func fail(_ detail: String) -> WeightFileError { .inconsistent(file: file, detail: detail) }
        var columns = Set<String>()
        for encoding in encodings {
            guard columns.insert(encoding.column).inserted else { throw fail("column \"\(encoding.column)\" has two encodings") }
            if encoding.type == .numeric, (encoding.transform == .bins) != (encoding.bins != nil) {
                throw fail("numeric \"\(encoding.column)\" must carry bins exactly when its transform is `bins`")
            }
            if let bins = encoding.bins {
                guard !bins.cuts.isEmpty, bins.cuts.allSatisfy({ $0.isFinite && abs($0) <= largestLeadNumber }),
                    zip(bins.cuts, bins.cuts.dropFirst()).allSatisfy({ $0 < $1 })
                else {
                    throw fail("bins of \"\(encoding.column)\" need at least one finite, strictly ascending cut point")
                }
                guard bins.statistics.count == bins.count else {
                    throw fail("bins of \"\(encoding.column)\" list \(bins.statistics.count) bin statistics for \(bins.count) bins")
                }
                guard Set(bins.labels(withMissing: true)).count == bins.count + 1 else {
                    throw fail("bins of \"\(encoding.column)\" have two bins with the same label")
                }
            }
            if encoding.type == .categorical {
                guard !encoding.levels.isEmpty else { throw fail("categorical \"\(encoding.column)\" lists no levels") }
                guard Set(encoding.levels).count == encoding.levels.count else {
                    throw fail("categorical \"\(encoding.column)\" lists a level twice")
                }
                guard let baseline = encoding.baseline, encoding.levels.contains(baseline) else {
                    throw fail("categorical \"\(encoding.column)\" has no baseline among its levels")
                }
            }
        }
        if encodings.contains(where: { $0.bins != nil }), format != Self.format(for: encodings) {
            throw fail("a model with binned features is \(Self.format(for: encodings)), not \(format)")
        }
        guard let first = model.first, first.kind == .intercept else {
            throw fail("the first model term must be (intercept)")
        }
        var seen = Set<String>()
        for (index, term) in model.enumerated() {
            guard seen.insert(term.name).inserted else { throw fail("term \"\(term.name)\" appears twice") }
            guard term.estimate.isFinite else { throw fail("term \"\(term.name)\" has a non-finite estimate") }
            guard abs(term.estimate) <= Self.largestEstimate else {
                throw fail(
                    "term \"\(term.name)\" has estimate \(term.estimate), beyond ±\(Self.largestEstimate); refit the model (a separated fit needs `penalty:`)"
                )
            }
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
                guard encoding.bins == nil else { throw fail("numeric term \"\(term.name)\" but \"\(column)\" is binned") }
            case .missingIndicator:
                guard encoding.type == .numeric, encoding.missing == .indicator, encoding.bins == nil else {
                    throw fail("term \"\(term.name)\" but \"\(column)\" does not use the indicator missing rule")
                }
            case .bin:
                guard encoding.bins != nil else { throw fail("bin term \"\(term.name)\" but \"\(column)\" has no bins") }
                guard let level = term.level, encoding.binLevels.contains(level) else {
                    throw fail("term \"\(term.name)\" names a bin that \"\(column)\" does not have (or its baseline bin, which has no term)")
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
        let termsOfColumn = Dictionary(grouping: model.dropFirst(), by: { $0.column ?? "" })
        for encoding in encodings {
            let terms = termsOfColumn[encoding.column] ?? []
            switch encoding.type {
            case .numeric where encoding.bins != nil:
                let named = Set(terms.compactMap(\.level))
                if let level = encoding.binLevels.first(where: { !named.contains($0) }) {
                    throw fail("bin \"\(level)\" of \"\(encoding.column)\" has no term; every bin but the lowest needs one")
                }
                if terms.contains(where: { $0.kind != .bin }) {
                    throw fail("binned \"\(encoding.column)\" has a term that is not a bin")
                }
            case .numeric:
                guard terms.contains(where: { $0.kind == .numeric }) else {
                    throw fail("numeric \"\(encoding.column)\" has no term; every encoded column needs its term")
                }
                if encoding.missing == .indicator, !terms.contains(where: { $0.kind == .missingIndicator }) {
                    throw fail("\"\(encoding.column)\" uses `missing: indicator` but has no missing-indicator term")
                }
            case .categorical:
                let named = Set(terms.compactMap(\.level))
                if let level = encoding.levels.first(where: { $0 != encoding.baseline && !named.contains($0) }) {
                    throw fail("level \"\(level)\" of \"\(encoding.column)\" has no term; every level but the baseline needs one")
                }
            }
            let kinds = terms.map { $0.kind == .level || $0.kind == .bin ? "\($0.kind.rawValue) \($0.level ?? "")" : $0.kind.rawValue }
            if let twice = kinds.first(where: { kind in kinds.filter { $0 == kind }.count > 1 }) {
                throw fail("\"\(encoding.column)\" has its \(twice) term twice")
            }
        }
        guard points.pdo > 0, points.baseOdds > 0, points.factor.isFinite, points.offset.isFinite else {
            throw fail("points scaling needs pdo > 0 and base_odds > 0")
        }
        guard abs(points.basePoints) <= Self.largestPoints, points.pdo <= Self.largestPoints, points.baseOdds <= Self.largestPoints else {
            throw fail(
                "points scaling base_points \(points.basePoints), pdo \(points.pdo), base_odds \(points.baseOdds) goes beyond ±\(Self.largestPoints)")
        }
        for term in model {
            let expected = points.factor * term.estimate
            guard term.pointsPerUnit.isFinite, abs(term.pointsPerUnit - expected) <= 1e-9 * max(1, abs(expected)) else {
                throw fail(
                    "term \"\(term.name)\" has points_per_unit \(term.pointsPerUnit), but factor·β is \(expected); export the weight file again from the lab"
                )
            }
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
