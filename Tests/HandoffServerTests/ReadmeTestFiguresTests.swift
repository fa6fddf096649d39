import Foundation
import TestSupport
import Testing

/// The sizes the README's "Tests" section quotes for the service's adversarial tests are the
/// sizes those tests run with.
@Suite struct ReadmeTestFiguresTests {
    static func readmeNumber(_ pattern: Regex<(Substring, Substring)>) throws -> Int? {
        let readme = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        return (readme.firstMatch(of: pattern)?.output.1).flatMap { Int($0.replacingOccurrences(of: ",", with: "")) }
    }

    @Test func theHostileTableAndTheFuzzRunHaveTheSizesTheReadmeQuotes() throws {
        let hostile = try #require(
            try Self.readmeNumber(/a table of ([\d,]+) hostile requests/), "README.md no longer quotes the hostile table's size")
        #expect(
            hostile == HostileHTTPTests.cases.count,
            "README.md says \(hostile) hostile requests, HostileHTTPTests has \(HostileHTTPTests.cases.count): update the README")
        let fuzz = try #require(try Self.readmeNumber(/([\d,]+) seeded mutated events/), "README.md no longer quotes the fuzz run's size")
        #expect(fuzz == EventFuzzTests.defaultCount, "README.md says \(fuzz) mutated events, EventFuzzTests sends \(EventFuzzTests.defaultCount)")
    }
}
