import Foundation
import ScoringModelFormat
import Yams

extension FieldMapping {
    static let ruleKeys = ["field", "values", "ranges", "otherwise"]
    static let bandKeys = ["from", "below", "value"]

    /// Parses a field mapping from YAML text; `file` names it in messages.
    ///
    /// ```yaml
    /// hubspot:                          # a section (see FieldMapping.sectionNames)
    ///   firstname: first_name           # vendor property: Baton field (value as sent)
    ///   numberofemployees:
    ///     field: company_size
    ///     ranges:                       # from ≤ x < below, first band that holds x
    ///       - {below: 51, value: "1-50"}
    ///       - {from: 51, below: 201, value: "51-200"}
    ///       - {from: 201, below: 1001, value: "201-1000"}
    ///       - {from: 1001, value: "1000+"}
    ///   industry:
    ///     field: industry
    ///     values: {COMPUTER_SOFTWARE: software, FINANCIAL_SERVICES: finance}
    ///     otherwise: other              # optional; without it other values are kept as sent
    /// salesforce_lead:
    ///   NumberOfEmployees: {field: company_size, ranges: [{below: 51, value: "1-50"}, {from: 51, value: "51+"}]}
    /// ```
    /// Scalars are read as the literal text written (`yes` is the text `yes`). Bands must be in
    /// ascending order and must not overlap; a value no band holds becomes `otherwise`, or the
    /// delivery carrying it is refused (422) when there is none.
    /// - Throws: ``FieldMappingError`` naming the file, the line and the key.
    package static func parse(yaml text: String, file: String) throws(FieldMappingError) -> FieldMapping {
        let yaml = YAMLReader<FieldMappingError>(file: file)
        var mapping = FieldMapping(file: file)
        guard let root = try yaml.compose(text) else { return mapping }
        for (section, sectionEntry) in try yaml.orderedEntries(yaml.root(root), allowed: sectionNames) {
            var rules: [String: Rule] = [:]
            var byField: [String: Rule] = [:]
            guard !sectionEntry.isNull else { continue }
            for (property, entry) in try yaml.orderedEntries(sectionEntry, allowed: nil) {
                let rule = try Self.rule(property: property, entry: entry, yaml: yaml)
                if let other = byField[rule.field] {
                    throw .duplicateField(file: file, line: entry.line, key: entry.key, field: rule.field, otherKey: other.key)
                }
                byField[rule.field] = rule
                rules[property] = rule
            }
            mapping.sections[section] = rules
        }
        return mapping
    }

    /// Reads and parses the mapping file at `url`.
    package static func load(url: URL) throws(FieldMappingError) -> FieldMapping {
        try parse(yaml: try YAMLReader<FieldMappingError>.text(of: url, document: "field mapping"), file: url.path)
    }

    static func rule(property: String, entry: YAMLEntry, yaml: YAMLReader<FieldMappingError>) throws(FieldMappingError) -> Rule {
        let file = yaml.file
        func name(_ entry: YAMLEntry) throws(FieldMappingError) -> String {
            let text = try yaml.text(entry)
            guard !text.isEmpty, !entry.isNull else {
                throw .yaml(.missingKey(file: file, line: entry.line, key: entry.key, hint: "Name the Baton field, e.g. `company_size`."))
            }
            return text
        }
        if entry.value.scalar != nil {
            return Rule(property: property, field: try name(entry), key: entry.key, line: entry.line)
        }
        let keys = try yaml.entries(entry, allowed: ruleKeys)
        guard let fieldEntry = keys["field"] else {
            throw yaml.missing("field", in: entry, hint: "Say which Baton field the property sets, e.g. `field: company_size`.")
        }
        let field = try name(fieldEntry)
        let otherwise = try yaml.given(keys, "otherwise").map { entry throws(FieldMappingError) in try yaml.text(entry) }
        let values = yaml.given(keys, "values")
        let ranges = yaml.given(keys, "ranges")
        if values != nil, let ranges {
            throw .badBands(file: file, line: ranges.line, key: ranges.key, problem: "give either `values` or `ranges`, not both")
        }
        var recode = Recode.keep
        if let values {
            var table: [String: String] = [:]
            for (from, to) in try yaml.orderedEntries(values, allowed: nil) { table[from] = try yaml.text(to) }
            recode = .values(table, otherwise: otherwise)
        } else if let ranges {
            recode = .ranges(try bands(ranges, yaml: yaml), otherwise: otherwise)
        } else if let otherwise, let entry = keys["otherwise"] {
            throw .badBands(
                file: file, line: entry.line, key: entry.key,
                problem: "`otherwise: \(otherwise)` needs `values` or `ranges` to be the alternative of")
        }
        return Rule(property: property, field: field, recode: recode, key: entry.key, line: entry.line)
    }

    static func bands(_ entry: YAMLEntry, yaml: YAMLReader<FieldMappingError>) throws(FieldMappingError) -> [NumericBand] {
        var result: [NumericBand] = []
        for item in try yaml.items(entry, expected: "a list of bands, `- {from: 51, below: 201, value: \"51-200\"}`") {
            let keys = try yaml.entries(item, allowed: bandKeys)
            guard let valueEntry = yaml.given(keys, "value") else {
                throw yaml.missing("value", in: item, hint: "Say what a number in this band becomes, e.g. `value: \"51-200\"`.")
            }
            let from = try yaml.given(keys, "from").map { entry throws(FieldMappingError) in try yaml.number(entry) }
            let below = try yaml.given(keys, "below").map { entry throws(FieldMappingError) in try yaml.number(entry) }
            let band = NumericBand(from: from, below: below, value: try yaml.text(valueEntry))
            if let from, let below, from >= below {
                throw .badBands(file: yaml.file, line: item.line, key: item.key, problem: "`from: \(from)` must be below `below: \(below)`")
            }
            if let previous = result.last {
                // Ascending and disjoint: the previous band must end (below) at or before this one starts.
                guard let end = previous.below, let start = band.from, end <= start else {
                    throw .badBands(
                        file: yaml.file, line: item.line, key: item.key,
                        problem: "overlaps the band before it; list bands in ascending order, each `from` at or above the previous `below`")
                }
            }
            result.append(band)
        }
        guard !result.isEmpty else {
            throw .badBands(file: yaml.file, line: entry.line, key: entry.key, problem: "lists no band; give at least one")
        }
        return result
    }
}
