import BatonSupport
import Foundation
import Yams

extension ScoringSpec {
    /// Keys allowed at the top level of a spec.
    static let topLevelKeys = ["outcome", "id", "time", "weight", "features", "penalty", "points", "thresholds", "method"]
    static let outcomeKeys = ["column", "positive"]
    static let featureKeys = [
        "column", "type", "transform", "missing", "baseline", "min_count", "group", "recode", "half_life_days", "monotone", "max_bins",
        "min_bin_share", "cuts",
    ]
    static let pointsKeys = ["base_points", "base_odds", "pdo"]
    static let thresholdKeys = ["mql", "sql"]

    /// Parses a scoring spec from YAML text; `file` names it in messages.
    ///
    /// Scalars are read as the literal text written (`positive: [yes, 1]` means the cell
    /// values `yes` and `1`, not a boolean and an integer). Defaults: `penalty` 0, `points`
    /// 600 / 50 / 20, `transform` none, `missing` error, `min_count` 0, `group` fit for
    /// categorical and engagement for numeric features.
    public static func parse(yaml: String, file: String) throws(ScoringSpecError) -> ScoringSpec {
        let reader = SpecReader(file: file)
        guard let root = try reader.yaml.compose(yaml) else {
            throw .yaml(
                .missingKey(
                    file: file, line: 1, key: "outcome",
                    hint: "The spec is empty; start with `outcome: {column: won, positive: [\"1\"]}` and a `features:` list."))
        }
        return try reader.spec(root)
    }

    /// Reads and parses the YAML spec at `url`.
    public static func load(url: URL) throws(ScoringSpecError) -> ScoringSpec {
        try parse(yaml: try YAMLReader<ScoringSpecError>.text(of: url, document: "spec"), file: url.path)
    }
}

/// Reads a spec with the shared ``YAMLReader``, adding the spec's own checks.
struct SpecReader {
    let file: String
    let yaml: YAMLReader<ScoringSpecError>

    typealias Entry = YAMLEntry

    init(file: String) {
        self.file = file
        yaml = YAMLReader(file: file)
    }

    func columnName(_ entry: Entry) throws(ScoringSpecError) -> String {
        let name = try yaml.text(entry)
        guard !name.isEmpty, !entry.isNull else { throw .emptyValue(file: file, line: entry.line, key: entry.key) }
        return name
    }

    func optionalColumn(_ entries: [String: Entry], _ key: String) throws(ScoringSpecError) -> String? {
        guard let entry = yaml.given(entries, key) else { return nil }
        return try columnName(entry)
    }

    func spec(_ root: Node) throws(ScoringSpecError) -> ScoringSpec {
        let rootEntry = yaml.root(root)
        let top = try yaml.entries(rootEntry, allowed: ScoringSpec.topLevelKeys)
        guard let outcomeEntry = top["outcome"] else {
            throw yaml.missing(
                "outcome", in: rootEntry,
                hint: "Say which column holds the result and which values mean closed-won, e.g. `outcome: {column: won, positive: [\"1\"]}`.")
        }
        let outcome = try outcomeSpec(outcomeEntry)
        guard let featuresEntry = top["features"] else {
            throw yaml.missing("features", in: rootEntry, hint: "List the feature columns, e.g. `features: [{column: visits, type: numeric}]`.")
        }
        let featureItems = try yaml.items(featuresEntry, expected: "a list, one `- {column: …, type: …}` per feature")
        var spec = ScoringSpec(outcome: outcome, features: try features(featureItems, in: featuresEntry))
        spec.id = try optionalColumn(top, "id")
        spec.time = try optionalColumn(top, "time")
        spec.weight = try optionalColumn(top, "weight")
        if let entry = yaml.given(top, "penalty") {
            let value = try yaml.number(entry)
            guard value >= 0 else {
                throw .outOfRange(
                    file: file, line: entry.line, key: entry.key, value: try yaml.literal(entry), requirement: "0 or more (0 = no penalty)")
            }
            spec.penalty = value
        }
        if let entry = yaml.given(top, "method") {
            spec.method = try yaml.choice(entry, as: FitMethod.self)
            if spec.method == .firth, spec.penalty > 0 {
                throw .outOfRange(
                    file: file, line: entry.line, key: entry.key, value: "firth",
                    requirement: "`ml` when `penalty:` is above 0: Firth's penalty and a ridge are two answers to separation, choose one")
            }
        }
        if let entry = yaml.given(top, "points") { spec.points = try points(entry) }
        if let entry = yaml.given(top, "thresholds") { spec.thresholds = try thresholds(entry) }
        try checkRoles(spec, top: top, featureLines: featureItems.map(\.line))
        if let weight = spec.weight,
            let (index, binned) = spec.features.enumerated().first(where: { $0.element.transform == .bins && $0.element.cuts == nil })
        {
            throw .binsWithCaseWeights(file: file, line: featureItems[index].line, column: binned.column, weight: weight)
        }
        return spec
    }

    func outcomeSpec(_ entry: Entry) throws(ScoringSpecError) -> OutcomeSpec {
        let fields = try yaml.entries(entry, allowed: ScoringSpec.outcomeKeys)
        guard let column = fields["column"] else {
            throw yaml.missing("column", in: entry, hint: "Name the column that holds the result.")
        }
        guard let positive = fields["positive"] else {
            throw yaml.missing(
                "positive", in: entry, hint: "List the values that mean closed-won, e.g. `positive: [\"1\"]`; every other value is closed-lost.")
        }
        let values = try yaml.texts(positive)
        guard !values.isEmpty else {
            throw .yaml(.wrongShape(file: file, line: positive.line, key: positive.key, expected: "a non-empty list of cell values"))
        }
        return OutcomeSpec(column: try columnName(column), positive: values)
    }

    func features(_ items: [Entry], in entry: Entry) throws(ScoringSpecError) -> [FeatureSpec] {
        guard !items.isEmpty else {
            throw .yaml(.wrongShape(file: file, line: entry.line, key: entry.key, expected: "a non-empty list"))
        }
        var result: [FeatureSpec] = []
        var firstLine: [String: Int] = [:]
        for item in items {
            let feature = try self.feature(item)
            if let first = firstLine[feature.column] {
                throw .duplicateFeature(file: file, line: item.line, column: feature.column, firstLine: first)
            }
            firstLine[feature.column] = item.line
            result.append(feature)
        }
        return result
    }

    func feature(_ item: Entry) throws(ScoringSpecError) -> FeatureSpec {
        let fields = try yaml.entries(item, allowed: ScoringSpec.featureKeys)
        guard let columnEntry = fields["column"] else {
            throw yaml.missing("column", in: item, hint: "Name the CSV column.")
        }
        let column = try columnName(columnEntry)
        guard let typeEntry = fields["type"] else {
            throw yaml.missing(
                "type", in: item, hint: "Say how \"\(column)\" enters the model: \(FeatureType.allCases.map(\.rawValue).joined(separator: " or ")).")
        }
        let type = try yaml.choice(typeEntry, as: FeatureType.self)
        let numericOnly = ["transform", "missing", "half_life_days"] + binningKeys, categoricalOnly = ["baseline", "min_count", "recode"]
        for name in (type == .numeric ? categoricalOnly : numericOnly) {
            if let entry = fields[name] {
                throw .optionNotForType(file: file, line: entry.line, key: entry.key, column: column, type: type)
            }
        }
        var feature = FeatureSpec(column: column, type: type)
        if let entry = fields["transform"] { feature.transform = try yaml.choice(entry, as: NumericTransform.self) }
        if let entry = fields["missing"] {
            feature.missing = try yaml.choice(entry, as: MissingRule.self)
        } else if feature.transform == .bins {
            // A binned feature's empty cells are a bin of their own unless the spec says otherwise.
            feature.missing = .indicator
        }
        try binning(fields, into: &feature)
        if let entry = fields["group"] { feature.group = try yaml.choice(entry, as: FeatureGroup.self) }
        if let entry = yaml.given(fields, "baseline") { feature.baseline = try yaml.text(entry) }
        if let entry = yaml.given(fields, "half_life_days") {
            let value = try yaml.number(entry)
            guard value > 0 else {
                throw .outOfRange(
                    file: file, line: entry.line, key: entry.key, value: try yaml.literal(entry),
                    requirement: "a positive number of days (e.g. 30)")
            }
            feature.halfLifeDays = value
        }
        if let entry = fields["min_count"] {
            let value = try yaml.wholeNumber(entry)
            guard value >= 0 else {
                throw .outOfRange(
                    file: file, line: entry.line, key: entry.key, value: try yaml.literal(entry), requirement: "0 or more (0 = never merge levels)")
            }
            feature.minCount = value
        }
        if let entry = yaml.given(fields, "recode") {
            guard entry.value.mapping != nil else {
                throw .yaml(
                    .wrongShape(file: file, line: entry.line, key: entry.key, expected: "a mapping from spelling to level, e.g. `{google: Google}`"))
            }
            var recode: [String: String] = [:]
            for (name, target) in try yaml.orderedEntries(entry, allowed: nil) {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard recode[trimmed] == nil else { throw .yaml(.duplicateKey(file: file, line: target.line, key: "\(entry.key).\(trimmed)")) }
                guard target.value.scalar != nil else {
                    throw .yaml(.wrongShape(file: file, line: target.line, key: entry.key, expected: "a mapping of single values"))
                }
                recode[trimmed] = try yaml.text(target)
            }
            feature.recode = recode
        }
        return feature
    }

    var binningKeys: [String] { ["monotone", "max_bins", "min_bin_share", "cuts"] }

    /// The binning options of a `transform: bins` feature (refused on any other).
    func binning(_ fields: [String: Entry], into feature: inout FeatureSpec) throws(ScoringSpecError) {
        guard feature.transform == .bins else {
            for key in binningKeys {
                if let entry = fields[key] { throw .optionNeedsBins(file: file, line: entry.line, key: entry.key, column: feature.column) }
            }
            return
        }
        if let entry = yaml.given(fields, "monotone") { feature.monotone = try yaml.choice(entry, as: MonotoneTrend.self) }
        if let entry = yaml.given(fields, "max_bins") {
            let value = try yaml.wholeNumber(entry)
            guard (2...50).contains(value) else {
                throw .outOfRange(
                    file: file, line: entry.line, key: entry.key, value: try yaml.literal(entry), requirement: "a whole number from 2 to 50")
            }
            feature.maxBins = value
        }
        if let entry = yaml.given(fields, "min_bin_share") {
            let value = try yaml.number(entry)
            guard value >= 0, value <= 0.5 else {
                throw .outOfRange(
                    file: file, line: entry.line, key: entry.key, value: try yaml.literal(entry),
                    requirement: "a share from 0 to 0.5 of all rows (e.g. 0.05)")
            }
            feature.minBinShare = value
        }
        if let entry = yaml.given(fields, "cuts") {
            var cuts: [Double] = []
            for item in try yaml.items(entry, expected: "a list of ascending numbers, e.g. `[1, 3, 6]`") {
                let value = try yaml.number(item)
                guard abs(value) <= largestLeadNumber else {
                    throw .outOfRange(
                        file: file, line: item.line, key: item.key, value: try yaml.literal(item),
                        requirement: "a number within ±\(largestLeadNumber)")
                }
                if let last = cuts.last, !(value > last) {
                    throw .outOfRange(
                        file: file, line: item.line, key: item.key, value: try yaml.literal(item),
                        requirement: "a number above the cut before it (\(last)): cuts are strictly ascending")
                }
                cuts.append(value)
            }
            guard !cuts.isEmpty else {
                throw .yaml(.wrongShape(file: file, line: entry.line, key: entry.key, expected: "at least one cut point, e.g. `[1, 3, 6]`"))
            }
            let maxBins = feature.maxBins ?? max(FeatureSpec.defaultMaxBins, cuts.count + 1)
            guard cuts.count + 1 <= maxBins else {
                throw .outOfRange(
                    file: file, line: entry.line, key: entry.key, value: "\(cuts.count) cuts",
                    requirement: "at most max_bins − 1 = \(maxBins - 1) cuts: raise max_bins or give fewer cuts")
            }
            feature.cuts = cuts
        }
    }

    func points(_ entry: Entry) throws(ScoringSpecError) -> PointsScaling {
        let fields = try yaml.entries(entry, allowed: ScoringSpec.pointsKeys)
        var points = PointsScaling()
        if let field = fields["base_points"] { points.basePoints = try yaml.number(field) }
        if let field = fields["base_odds"] {
            points.baseOdds = try yaml.number(field)
            guard points.baseOdds > 0 else {
                throw .outOfRange(
                    file: file, line: field.line, key: field.key, value: try yaml.literal(field),
                    requirement: "positive (odds won:lost, e.g. 50 for 50:1)")
            }
        }
        if let field = fields["pdo"] {
            points.pdo = try yaml.number(field)
            guard points.pdo > 0 else {
                throw .outOfRange(
                    file: file, line: field.line, key: field.key, value: try yaml.literal(field),
                    requirement: "positive (points to double the odds, e.g. 20)"
                )
            }
        }
        return points
    }

    func thresholds(_ entry: Entry) throws(ScoringSpecError) -> Thresholds {
        let fields = try yaml.entries(entry, allowed: ScoringSpec.thresholdKeys)
        var thresholds = Thresholds()
        if let field = yaml.given(fields, "mql") { thresholds.mql = try yaml.number(field) }
        if let field = yaml.given(fields, "sql") { thresholds.sql = try yaml.number(field) }
        return thresholds
    }

    /// Outcome, weight, id, time and features must be distinct columns.
    func checkRoles(_ spec: ScoringSpec, top: [String: Entry], featureLines: [Int]) throws(ScoringSpecError) {
        var roles: [(column: String, role: String, line: Int)] = []
        roles.append((spec.outcome.column, "the outcome", top["outcome"]?.line ?? 1))
        if let weight = spec.weight { roles.append((weight, "the case weight", top["weight"]?.line ?? 1)) }
        if let id = spec.id { roles.append((id, "the id", top["id"]?.line ?? 1)) }
        if let time = spec.time { roles.append((time, "the time", top["time"]?.line ?? 1)) }
        for (index, feature) in spec.features.enumerated() {
            roles.append((feature.column, "a feature", index < featureLines.count ? featureLines[index] : 1))
        }
        var seen: [String: String] = [:]
        for role in roles {
            if let earlier = seen[role.column] {
                throw .columnInTwoRoles(file: file, line: role.line, column: role.column, roles: [earlier, role.role])
            }
            seen[role.column] = role.role
        }
    }
}
