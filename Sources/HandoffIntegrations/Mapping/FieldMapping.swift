import Foundation

/// Which vendor property becomes which Baton lead field, and how its value is recoded: the
/// `field_mapping` YAML file that the service configuration names (see ``parse(yaml:file:)`` for
/// the shape).
///
/// A mapping has one section per vendor object (``sectionNames``); each section maps a vendor
/// property (as the vendor names it: HubSpot's internal property name, Salesforce's field API
/// name) to a Baton field. Properties a section does not list change nothing in Baton (the
/// adapter reports them as skipped). The file is checked at start-up against the fields the
/// production weight file and the playbook read (``validate(against:)``).
package struct FieldMapping: Sendable, Equatable {
    /// The sections an adapter reads: HubSpot contact properties, Salesforce Lead and Contact
    /// fields, Segment `identify` traits and `group` traits, the `fields` of Marketo's webhook templates.
    package static let sectionNames = ["hubspot", "salesforce_lead", "salesforce_contact", "segment", "segment_group", "marketo"]

    /// One vendor property's rule.
    package struct Rule: Sendable, Equatable {
        /// The vendor's property name.
        package var property: String
        /// The Baton lead field it sets.
        package var field: String
        package var recode: Recode
        /// Where the rule is written (`hubspot.numberofemployees`, line 4), for messages.
        package var key: String
        package var line: Int

        package init(property: String, field: String, recode: Recode = .keep, key: String = "", line: Int = 1) {
            self.property = property
            self.field = field
            self.recode = recode
            self.key = key
            self.line = line
        }
    }

    /// How a vendor value becomes the Baton value.
    package enum Recode: Sendable, Equatable {
        /// The value as sent.
        case keep
        /// Exact values renamed (`COMPUTER_SOFTWARE` → `software`); any other value becomes
        /// `otherwise`, or is kept as sent when there is none.
        case values([String: String], otherwise: String?)
        /// A number placed in the first band that holds it; a value no band holds (or not a
        /// number) becomes `otherwise`, or is refused when there is none.
        case ranges([NumericBand], otherwise: String?)
    }

    /// A half-open band `from ≤ x < below` (either end may be open) and the value it gives.
    package struct NumericBand: Sendable, Equatable {
        package var from: Double?
        package var below: Double?
        package var value: String
        package init(from: Double? = nil, below: Double? = nil, value: String) {
            self.from = from
            self.below = below
            self.value = value
        }

        package func holds(_ x: Double) -> Bool { (from.map { x >= $0 } ?? true) && (below.map { x < $0 } ?? true) }
    }

    /// The file the mapping was read from (`(configuration)` when built in code).
    package var file: String
    /// Rules by section, then by vendor property.
    package var sections: [String: [String: Rule]]

    package init(file: String = "(configuration)", sections: [String: [String: Rule]] = [:]) {
        self.file = file
        self.sections = sections
    }

    /// The rule for `property` in `section`, nil when the property is not mapped.
    package func rule(section: String, property: String) -> Rule? { sections[section]?[property] }

    /// The Baton field and value for a vendor property's value; nil when the property is not
    /// mapped. An empty value stays empty (the vendor cleared the property).
    /// - Throws: ``IntegrationRefusal/unmappable(field:problem:)`` for a value a band rule cannot place.
    package func map(section: String, property: String, value: String, at path: String) throws(IntegrationRefusal) -> (field: String, value: String)?
    {
        guard let rule = rule(section: section, property: property) else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return (rule.field, "") }
        switch rule.recode {
        case .keep:
            return (rule.field, value)
        case let .values(table, otherwise):
            return (rule.field, table[value] ?? table[trimmed] ?? otherwise ?? value)
        case let .ranges(bands, otherwise):
            if let number = Double(trimmed), number.isFinite, let band = bands.first(where: { $0.holds(number) }) {
                return (rule.field, band.value)
            }
            if let otherwise { return (rule.field, otherwise) }
            throw .unmappable(
                field: path,
                problem:
                    "is \"\(value.prefix(64))\", which no band of \(file) `\(rule.key)` (line \(rule.line)) holds; send a number within the bands, or add a band or an `otherwise:` value there"
            )
        }
    }

    /// The Baton fields set by the mapped properties among `properties` (unmapped ones ignored).
    /// - Throws: as ``map(section:property:value:at:)``; `path` prefixes each property's name.
    package func fields(section: String, properties: [String: String], path: String) throws(IntegrationRefusal) -> [String: String] {
        var result: [String: String] = [:]
        for (property, value) in properties.sorted(by: { $0.key < $1.key }) {
            if let (field, mapped) = try map(section: section, property: property, value: value, at: "\(path).\(property)") {
                result[field] = mapped
            }
        }
        return result
    }
}
