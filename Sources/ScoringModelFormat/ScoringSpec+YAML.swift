import BatonSupport
import Foundation
import Yams

extension ScoringSpec {
    /// Keys allowed at the top level of a spec.
    static let topLevelKeys = ["outcome", "id", "time", "weight", "features", "penalty", "points", "thresholds"]
    static let outcomeKeys = ["column", "positive"]
    static let featureKeys = ["column", "type", "transform", "missing", "baseline", "min_count", "group", "recode", "half_life_days"]
    static let pointsKeys = ["base_points", "base_odds", "pdo"]
    static let thresholdKeys = ["mql", "sql"]

    /// Parses a scoring spec from YAML text; `file` names it in messages.
    ///
    /// Scalars are read as the literal text written (`positive: [yes, 1]` means the cell
    /// values `yes` and `1`, not a boolean and an integer). Defaults: `penalty` 0, `points`
    /// 600 / 50 / 20, `transform` none, `missing` error, `min_count` 0, `group` fit for
    /// categorical and engagement for numeric features.
    public static func parse(yaml: String, file: String) throws(ScoringSpecError) -> ScoringSpec {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw SpecReader.syntaxError(error, file: file)
        } catch {
            throw .syntax(file: file, line: 1, problem: "\(error)")
        }
        guard let root else {
            throw .missingKey(
                file: file, line: 1, key: "outcome",
                hint: "The spec is empty; start with `outcome: {column: won, positive: [\"1\"]}` and a `features:` list.")
        }
        return try SpecReader(file: file).spec(root)
    }

    /// Reads and parses the YAML spec at `url`.
    public static func load(url: URL) throws(ScoringSpecError) -> ScoringSpec {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        return try parse(yaml: text, file: url.path)
    }
}

/// Walks the Yams node tree, checking every key, so that errors carry lines and keys.
struct SpecReader {
    let file: String

    typealias Entry = (key: String, line: Int, value: Node)

    static func syntaxError(_ error: YamlError, file: String) -> ScoringSpecError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return .syntax(file: file, line: mark.line, problem: text)
        default:
            return .syntax(file: file, line: 1, problem: "\(error)")
        }
    }

    func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    /// The entries of a mapping, every key checked against `allowed` and for duplicates.
    func entries(_ node: Node, key: String, allowed: [String]) throws(ScoringSpecError) -> [String: Entry] {
        guard let mapping = node.mapping else {
            throw .wrongShape(file: file, line: line(node), key: key, expected: "a mapping (`key: value` lines or `{key: value}`)")
        }
        var result: [String: Entry] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else {
                throw .wrongShape(file: file, line: line(keyNode), key: key, expected: "a mapping with plain keys")
            }
            let path = key.isEmpty ? name : "\(key).\(name)"
            guard allowed.contains(name) else {
                throw .unknownKey(
                    file: file, line: line(keyNode), key: path,
                    suggestion: nearest(name, allowed), allowed: allowed)
            }
            guard result[name] == nil else { throw .duplicateKey(file: file, line: line(keyNode), key: path) }
            result[name] = (path, line(keyNode), value)
        }
        return result
    }

    func nearest(_ name: String, _ allowed: [String]) -> String? { NearestName.closest(to: name, among: allowed) }

    /// A plain (unquoted) YAML null: nothing, `~` or `null`. A quoted `""` is an empty string.
    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The literal text of a scalar.
    func text(_ entry: Entry) throws(ScoringSpecError) -> String {
        guard let scalar = entry.value.scalar else {
            throw .wrongShape(file: file, line: line(entry.value), key: entry.key, expected: "a single value")
        }
        return scalar.string
    }

    func columnName(_ entry: Entry) throws(ScoringSpecError) -> String {
        let name = try text(entry).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !isNull(entry.value) else { throw .emptyValue(file: file, line: entry.line, key: entry.key) }
        return name
    }

    func optionalColumn(_ entries: [String: Entry], _ key: String) throws(ScoringSpecError) -> String? {
        guard let entry = entries[key], !isNull(entry.value) else { return nil }
        return try columnName(entry)
    }

    func number(_ entry: Entry) throws(ScoringSpecError) -> Double {
        let raw = try text(entry)
        guard let value = Double(raw.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw .notANumber(file: file, line: entry.line, key: entry.key, value: raw, wholeNumber: false)
        }
        return value
    }

    func choice<E: RawRepresentable & CaseIterable>(_ entry: Entry, as: E.Type) throws(ScoringSpecError) -> E where E.RawValue == String {
        let raw = try text(entry)
        guard let value = E(rawValue: raw) else {
            throw .notAllowed(file: file, line: entry.line, key: entry.key, value: raw, allowed: E.allCases.map(\.rawValue))
        }
        return value
    }

    func spec(_ root: Node) throws(ScoringSpecError) -> ScoringSpec {
        let top = try entries(root, key: "", allowed: ScoringSpec.topLevelKeys)
        guard let outcomeEntry = top["outcome"] else {
            throw .missingKey(
                file: file, line: line(root), key: "outcome",
                hint: "Say which column holds the result and which values mean closed-won, e.g. `outcome: {column: won, positive: [\"1\"]}`.")
        }
        let outcome = try outcomeSpec(outcomeEntry)
        guard let featuresEntry = top["features"] else {
            throw .missingKey(
                file: file, line: line(root), key: "features",
                hint: "List the feature columns, e.g. `features: [{column: visits, type: numeric}]`.")
        }
        var spec = ScoringSpec(outcome: outcome, features: try features(featuresEntry))
        spec.id = try optionalColumn(top, "id")
        spec.time = try optionalColumn(top, "time")
        spec.weight = try optionalColumn(top, "weight")
        if let entry = top["penalty"], !isNull(entry.value) {
            let value = try number(entry)
            guard value >= 0 else {
                throw .outOfRange(file: file, line: entry.line, key: entry.key, value: try text(entry), requirement: "0 or more (0 = no penalty)")
            }
            spec.penalty = value
        }
        if let entry = top["points"], !isNull(entry.value) { spec.points = try points(entry) }
        if let entry = top["thresholds"], !isNull(entry.value) { spec.thresholds = try thresholds(entry) }
        try checkRoles(spec, top: top, featureLines: featureLines(featuresEntry))
        return spec
    }

    func outcomeSpec(_ entry: Entry) throws(ScoringSpecError) -> OutcomeSpec {
        let fields = try entries(entry.value, key: "outcome", allowed: ScoringSpec.outcomeKeys)
        guard let column = fields["column"] else {
            throw .missingKey(file: file, line: entry.line, key: "outcome.column", hint: "Name the column that holds the result.")
        }
        guard let positive = fields["positive"] else {
            throw .missingKey(
                file: file, line: entry.line, key: "outcome.positive",
                hint: "List the values that mean closed-won, e.g. `positive: [\"1\"]`; every other value is closed-lost.")
        }
        let values: [String]
        if let sequence = positive.value.sequence {
            var list: [String] = []
            for (index, node) in sequence.enumerated() {
                list.append(try text((key: "\(positive.key)[\(index)]", line: line(node), value: node)).trimmingCharacters(in: .whitespaces))
            }
            values = list
        } else {
            values = [try text(positive).trimmingCharacters(in: .whitespaces)]
        }
        guard !values.isEmpty else {
            throw .wrongShape(file: file, line: positive.line, key: positive.key, expected: "a non-empty list of cell values")
        }
        return OutcomeSpec(column: try columnName(column), positive: values)
    }

    func featureLines(_ entry: Entry) -> [Int] {
        entry.value.sequence.map { $0.map { line($0) } } ?? []
    }

    func features(_ entry: Entry) throws(ScoringSpecError) -> [FeatureSpec] {
        guard let sequence = entry.value.sequence else {
            throw .wrongShape(file: file, line: entry.line, key: "features", expected: "a list, one `- {column: …, type: …}` per feature")
        }
        guard sequence.count > 0 else {
            throw .wrongShape(file: file, line: entry.line, key: "features", expected: "a non-empty list")
        }
        var result: [FeatureSpec] = []
        var firstLine: [String: Int] = [:]
        for (index, node) in sequence.enumerated() {
            let feature = try self.feature(node, key: "features[\(index)]")
            if let first = firstLine[feature.column] {
                throw .duplicateFeature(file: file, line: line(node), column: feature.column, firstLine: first)
            }
            firstLine[feature.column] = line(node)
            result.append(feature)
        }
        return result
    }

    func feature(_ node: Node, key: String) throws(ScoringSpecError) -> FeatureSpec {
        let fields = try entries(node, key: key, allowed: ScoringSpec.featureKeys)
        guard let columnEntry = fields["column"] else {
            throw .missingKey(file: file, line: line(node), key: "\(key).column", hint: "Name the CSV column.")
        }
        let column = try columnName(columnEntry)
        guard let typeEntry = fields["type"] else {
            throw .missingKey(
                file: file, line: line(node), key: "\(key).type",
                hint: "Say how \"\(column)\" enters the model: \(FeatureType.allCases.map(\.rawValue).joined(separator: " or ")).")
        }
        let type = try choice(typeEntry, as: FeatureType.self)
        let numericOnly = ["transform", "missing", "half_life_days"], categoricalOnly = ["baseline", "min_count", "recode"]
        for name in (type == .numeric ? categoricalOnly : numericOnly) {
            if let entry = fields[name] {
                throw .optionNotForType(file: file, line: entry.line, key: entry.key, column: column, type: type)
            }
        }
        var feature = FeatureSpec(column: column, type: type)
        if let entry = fields["transform"] { feature.transform = try choice(entry, as: NumericTransform.self) }
        if let entry = fields["missing"] { feature.missing = try choice(entry, as: MissingRule.self) }
        if let entry = fields["group"] { feature.group = try choice(entry, as: FeatureGroup.self) }
        if let entry = fields["baseline"], !isNull(entry.value) { feature.baseline = try text(entry).trimmingCharacters(in: .whitespaces) }
        if let entry = fields["half_life_days"], !isNull(entry.value) {
            let value = try number(entry)
            guard value > 0 else {
                throw .outOfRange(
                    file: file, line: entry.line, key: entry.key, value: try text(entry), requirement: "a positive number of days (e.g. 30)")
            }
            feature.halfLifeDays = value
        }
        if let entry = fields["min_count"] {
            let raw = try text(entry)
            guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else {
                throw .notANumber(file: file, line: entry.line, key: entry.key, value: raw, wholeNumber: true)
            }
            guard value >= 0 else {
                throw .outOfRange(file: file, line: entry.line, key: entry.key, value: raw, requirement: "0 or more (0 = never merge levels)")
            }
            feature.minCount = value
        }
        if let entry = fields["recode"], !isNull(entry.value) {
            guard let mapping = entry.value.mapping else {
                throw .wrongShape(file: file, line: entry.line, key: entry.key, expected: "a mapping from spelling to level, e.g. `{google: Google}`")
            }
            var recode: [String: String] = [:]
            for (from, to) in mapping {
                guard let source = from.scalar?.string, let target = to.scalar?.string else {
                    throw .wrongShape(file: file, line: line(from), key: entry.key, expected: "a mapping of single values")
                }
                let trimmed = source.trimmingCharacters(in: .whitespaces)
                guard recode[trimmed] == nil else { throw .duplicateKey(file: file, line: line(from), key: "\(entry.key).\(trimmed)") }
                recode[trimmed] = target.trimmingCharacters(in: .whitespaces)
            }
            feature.recode = recode
        }
        return feature
    }

    func points(_ entry: Entry) throws(ScoringSpecError) -> PointsScaling {
        let fields = try entries(entry.value, key: "points", allowed: ScoringSpec.pointsKeys)
        var points = PointsScaling()
        if let field = fields["base_points"] { points.basePoints = try number(field) }
        if let field = fields["base_odds"] {
            points.baseOdds = try number(field)
            guard points.baseOdds > 0 else {
                throw .outOfRange(
                    file: file, line: field.line, key: field.key, value: try text(field), requirement: "positive (odds won:lost, e.g. 50 for 50:1)")
            }
        }
        if let field = fields["pdo"] {
            points.pdo = try number(field)
            guard points.pdo > 0 else {
                throw .outOfRange(
                    file: file, line: field.line, key: field.key, value: try text(field), requirement: "positive (points to double the odds, e.g. 20)"
                )
            }
        }
        return points
    }

    func thresholds(_ entry: Entry) throws(ScoringSpecError) -> Thresholds {
        let fields = try entries(entry.value, key: "thresholds", allowed: ScoringSpec.thresholdKeys)
        var thresholds = Thresholds()
        if let field = fields["mql"], !isNull(field.value) { thresholds.mql = try number(field) }
        if let field = fields["sql"], !isNull(field.value) { thresholds.sql = try number(field) }
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
