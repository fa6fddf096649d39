import Foundation
import HandoffIntegrations
import ScoringModelFormat
import TestSupport
import Testing

@Suite struct FieldMappingTests {
    static let yaml = """
        hubspot:
          firstname: first_name
          numberofemployees:
            field: size
            ranges:
              - {below: 51, value: small}
              - {from: 51, below: 1001, value: medium}
              - {from: 1001, value: large}
          hs_analytics_source:
            field: lead "source"
            values: {ORGANIC_SEARCH: google, PAID_SEARCH: Ads}
            otherwise: Other
        salesforce_lead:
          NumberOfEmployees: {field: size, ranges: [{below: 100, value: small}], otherwise: large}
        """

    static var targets: FieldMapping.Targets {
        FieldMapping.Targets(weights: WeightFileFixture.file(), otherFields: ["first_name", "email"])
    }

    @Test func recodesByBandsAndValuesAndKeepsPlainValues() throws {
        let mapping = try FieldMapping.parse(yaml: Self.yaml, file: "mapping.yaml")
        try mapping.validate(against: Self.targets)
        // Band edges: `from` is in the band, `below` is not.
        let cases: [(String, String, String)] = [
            ("numberofemployees", "50", "small"), ("numberofemployees", "51", "medium"), ("numberofemployees", "1000.5", "medium"),
            ("numberofemployees", "1001", "large"), ("numberofemployees", " 7 ", "small"), ("firstname", "Ana", "Ana"),
            ("hs_analytics_source", "ORGANIC_SEARCH", "google"), ("hs_analytics_source", "OFFLINE", "Other"),
        ]
        for (property, value, expected) in cases {
            let mapped = try mapping.map(section: "hubspot", property: property, value: value, at: "[0].propertyValue")
            #expect(mapped?.value == expected, "\(property)=\(value)")
        }
        #expect(try mapping.map(section: "hubspot", property: "numberofemployees", value: "", at: "x")?.value == "")
        #expect(try mapping.map(section: "hubspot", property: "hs_lastmodifieddate", value: "1", at: "x") == nil)
        #expect(try mapping.map(section: "salesforce_lead", property: "NumberOfEmployees", value: "lots", at: "x")?.value == "large")
        let fields = try mapping.fields(section: "hubspot", properties: ["firstname": "Ana", "numberofemployees": "300", "other": "x"], path: "p")
        #expect(fields == ["first_name": "Ana", "size": "medium"])
    }

    @Test func aValueNoBandHoldsIsRefusedWithoutOtherwise() throws {
        let mapping = try FieldMapping.parse(
            yaml: "hubspot:\n  numberofemployees: {field: size, ranges: [{from: 1, value: small}]}\n", file: "m.yaml")
        for value in ["0", "many", "nan", "inf"] {
            #expect(throws: IntegrationRefusal.self) {
                try mapping.map(section: "hubspot", property: "numberofemployees", value: value, at: "[3].propertyValue")
            }
        }
        do {
            _ = try mapping.map(section: "hubspot", property: "numberofemployees", value: "0", at: "[3].propertyValue")
        } catch {
            #expect(error.status == 422 && error.field == "[3].propertyValue")
            #expect(error.description.contains("m.yaml `hubspot.numberofemployees` (line 2)"))
        }
    }

    @Test(arguments: [
        ("hubspot:\n  numberofemployees: {field: company_sise}\n", "m.yaml line 2: `hubspot.numberofemployees` maps to field `company_sise`"),
        ("hubspot:\n  a: {field: size, values: {x: huge}}\n", "gives \"huge\", which is not a level of the model's feature `size`"),
        ("hubspot:\n  a: {field: size, ranges: [{from: 5, below: 10, value: small}, {from: 9, value: large}]}\n", "overlaps the band before it"),
        ("hubspot:\n  a: {field: size, ranges: [{from: 5, below: 5, value: small}]}\n", "must be below"),
        ("hubspot:\n  a: {field: size, ranges: []}\n", "lists no band"),
        ("hubspot:\n  a: size\n  b: size\n", "`hubspot.b` sets field `size`, which `hubspot.a` already sets"),
        ("hubspott:\n  a: size\n", "unknown key `hubspott`. Did you mean `hubspot`?"),
        ("hubspot:\n  a: {field: size, value: {x: y}}\n", "unknown key `hubspot.a.value`. Did you mean `values`?"),
        ("hubspot:\n  a: {values: {x: y}}\n", "`hubspot.a.field` is required"),
        ("hubspot:\n  a: {field: size, ranges: [{from: ten, value: small}]}\n", "is \"ten\", which is not a number"),
        ("hubspot:\n  a: {field: size, otherwise: small}\n", "needs `values` or `ranges`"),
        ("hubspot: [\n", "not valid YAML"),
    ])
    func badFilesNameTheLineAndWhatToDo(yaml: String, expected: String) throws {
        do {
            let mapping = try FieldMapping.parse(yaml: yaml, file: "m.yaml")
            try mapping.validate(against: Self.targets)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func unknownFieldsListTheNearestKnownNames() throws {
        let mapping = try FieldMapping.parse(yaml: "segment:\n  visits_count: visit\n", file: "m.yaml")
        #expect(throws: FieldMappingError.unknownField(file: "m.yaml", line: 2, key: "segment.visits_count", field: "visit", nearest: ["visits"])) {
            try mapping.validate(against: Self.targets)
        }
    }

    @Test func anEmptyFileMapsNothing() throws {
        let mapping = try FieldMapping.parse(yaml: "# nothing yet\n", file: "m.yaml")
        #expect(mapping.sections.isEmpty)
        try mapping.validate(against: Self.targets)
    }
}
