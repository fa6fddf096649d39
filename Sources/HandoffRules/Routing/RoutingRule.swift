import Foundation
import ScoringModelFormat

/// One ordered routing rule: read a lead field, turn its value into a key (a territory, an
/// industry or a deal-size tier) and keep only the reps whose list for that dimension holds
/// the key.
///
/// Matching ignores case and surrounding spaces. Reps who list the key or `*` stay eligible;
/// reps who list the key itself are preferred by the ``Router``. When no rep is left, the lead
/// goes to the fallback queue with an alert.
///
/// Playbook forms:
/// ```yaml
/// - {match: territory, field: country, map: {DE: emea, FR: emea, US: na, "*": row}}
/// - {match: industry, field: industry, if_missing: skip}
/// - {match: deal_size, field: employees, tiers: [{tier: smb, below: 200}, {tier: mid, below: 2000}, {tier: enterprise}]}
/// - {match: deal_size, field: budget_band, map: {"<10k": smb, "10k-100k": mid, ">100k": enterprise}}
/// ```
/// `map` turns field values into keys (`"*"` maps any other value); without it the value is
/// the key. Numeric `tiers` are checked in order: the first whose `below` exceeds the value
/// wins; the last may omit `below` to catch the rest.
package struct RoutingRule: Sendable, Hashable {
    /// Which rep list the rule narrows on.
    package enum Dimension: String, Sendable, Hashable, CaseIterable {
        case territory, industry
        case dealSize = "deal_size"
    }

    /// What to do when the lead has no value for the field.
    package enum IfMissing: String, Sendable, Hashable {
        /// Send the lead to the fallback queue with an alert (the default: never guess a territory).
        case fallback
        /// Leave the eligible reps as they are and go on to the next rule.
        case skip
    }

    /// A numeric deal-size tier: values below `below` (or any value when `nil`).
    package struct Tier: Sendable, Hashable {
        package let tier: String
        package let below: Double?
        package init(tier: String, below: Double?) {
            self.tier = tier
            self.below = below
        }
    }

    /// A label for evidence and alerts (defaults to the dimension's name).
    package let name: String
    package let dimension: Dimension
    /// The lead field read.
    package let field: String
    /// Value → key, keys of the map lower-cased; `*` catches other values.
    package let map: [String: String]
    /// Numeric tiers in ascending order of `below` (empty unless a numeric deal-size rule).
    package let tiers: [Tier]
    package let ifMissing: IfMissing
    /// Playbook line of the rule (for messages about it; 0 when built in code).
    package let line: Int

    package init(
        name: String? = nil, dimension: Dimension, field: String, map: [String: String] = [:],
        tiers: [Tier] = [], ifMissing: IfMissing = .fallback, line: Int = 0
    ) {
        self.name = name ?? dimension.rawValue
        self.dimension = dimension
        self.field = field
        self.map = Dictionary(map.map { (RoutingRule.normalize($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.tiers = tiers
        self.ifMissing = ifMissing
        self.line = line
    }

    /// The routing key for the lead's fields: `.success(nil)` when the field is missing and the
    /// rule is skipped, `.failure` with the reason when the lead cannot be placed.
    func key(for fields: [String: String]) -> Result<(value: String, key: String)?, RoutingAlert.Reason> {
        let raw = fields[field]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if raw.isEmpty {
            return ifMissing == .skip ? .success(nil) : .failure(.missingField(rule: name, field: field))
        }
        if !tiers.isEmpty {
            guard let number = Double(raw), number.isFinite else {
                return .failure(.notANumber(rule: name, field: field, value: raw))
            }
            guard let tier = tiers.first(where: { $0.below.map { number < $0 } ?? true }) else {
                return .failure(.noTier(rule: name, field: field, value: raw))
            }
            return .success((raw, tier.tier))
        }
        if map.isEmpty { return .success((raw, raw)) }
        guard let key = map[RoutingRule.normalize(raw)] ?? map["*"] else {
            return .failure(.unmappedValue(rule: name, field: field, value: raw))
        }
        return .success((raw, key))
    }

    /// The keys a rep lists for this rule's dimension.
    func keys(of rep: Rep) -> [String] {
        switch dimension {
        case .territory: rep.territories
        case .industry: rep.industries
        case .dealSize: rep.dealSizeTiers
        }
    }

    static func normalize(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

extension RoutingRule {
    /// The keys of one entry of `routing.rules`, and of one numeric tier.
    static let keys = ["name", "match", "field", "map", "tiers", "if_missing"]
    static let tierKeys = ["tier", "below"]

    /// Reads one entry of `routing.rules`.
    static func read(_ item: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> RoutingRule {
        let fields = try reader.entries(item, allowed: keys)
        guard let matchEntry = fields["match"] else {
            throw reader.missing("match", in: item, hint: "Say what the rule matches on: territory, industry or deal_size.")
        }
        let matchText = try reader.text(matchEntry)
        guard let dimension = Dimension(rawValue: matchText) else {
            throw reader.invalid(
                matchEntry, "`\(matchText)` is not a routing rule; use territory, industry or deal_size (or account_owner, sticky first)")
        }
        guard let fieldEntry = fields["field"] else {
            throw reader.missing("field", in: item, hint: "Name the lead field the rule reads, e.g. `field: country`.")
        }
        let field = fieldEntry.isNull ? "" : try reader.text(fieldEntry)
        guard !field.isEmpty else { throw reader.invalid(fieldEntry, "the lead field is empty; name the lead column this rule reads") }
        var map: [String: String] = [:]
        if let mapEntry = reader.given(fields, "map") {
            for (value, key) in try reader.orderedEntries(mapEntry, allowed: nil) { map[value] = try reader.text(key) }
        }
        var tiers: [Tier] = []
        if let tiersEntry = reader.given(fields, "tiers") {
            for tierItem in try reader.items(tiersEntry) {
                let tierFields = try reader.entries(tierItem, allowed: tierKeys)
                guard let name = tierFields["tier"] else {
                    throw reader.missing("tier", in: tierItem, hint: "Name the tier as reps list it in `deal_size_tiers`, e.g. `tier: smb`.")
                }
                tiers.append(Tier(tier: try reader.text(name), below: try reader.given(tierFields, "below").map(reader.number)))
            }
        }
        if !tiers.isEmpty, let tiersEntry = fields["tiers"] {
            guard dimension == .dealSize else {
                throw reader.invalid(tiersEntry, "numeric tiers only apply to `match: deal_size`; use `map` for \(dimension.rawValue)")
            }
            guard map.isEmpty else { throw reader.invalid(tiersEntry, "give either `tiers` (numeric field) or `map` (categorical field), not both") }
            for (i, tier) in tiers.enumerated() {
                if tier.below == nil && i != tiers.count - 1 {
                    throw reader.invalid(
                        tiersEntry, "tier `\(tier.tier)` has no `below` but is not last; only the last tier may catch all remaining values")
                }
                if i > 0, let previous = tiers[i - 1].below, let below = tier.below, below <= previous {
                    throw reader.invalid(
                        tiersEntry,
                        "tier `\(tier.tier)` has below \(below), not above the previous tier's \(previous); list tiers in ascending order")
                }
            }
        } else if dimension == .dealSize && map.isEmpty {
            throw reader.invalid(matchEntry, "a deal_size rule needs `tiers` (numeric field) or `map` (categorical field); add one")
        }
        var ifMissing = IfMissing.fallback
        if let entry = reader.given(fields, "if_missing") {
            let text = try reader.text(entry)
            guard let value = IfMissing(rawValue: text) else {
                throw reader.invalid(entry, "`\(text)` is not an option; use `fallback` or `skip`")
            }
            ifMissing = value
        }
        return RoutingRule(
            name: try reader.given(fields, "name").map(reader.text), dimension: dimension, field: field, map: map, tiers: tiers,
            ifMissing: ifMissing, line: item.line)
    }
}
