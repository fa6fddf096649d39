import Foundation
import TestSupport
import Testing

/// `baton serve --help` points to the formats reference, not to a Swift type, and the flags that
/// reference lists are the flags `baton serve` has.
@Suite struct ServeHelpTests {
    static func flags(in text: String) -> Set<String> {
        var flags = Set<String>()
        let pattern = /--[a-z][a-z0-9-]*/
        for match in text.matches(of: pattern) { flags.insert(String(match.output)) }
        return flags
    }

    @Test func helpPointsToTheFormatsReferenceAndItListsEveryFlag() async throws {
        let help = try await CLI.run(["serve", "--help"])
        #expect(help.exitCode == 0, "\(help.stderr)")
        let text = help.stdout.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        #expect(text.contains("JSON configuration file; its keys: \(FormatsReference.relativePath)"), "\(help.stdout)")
        #expect(text.contains("every field of the hand-off package: \(FormatsReference.relativePath)"), "\(help.stdout)")
        #expect(!help.stdout.contains("ServiceConfiguration"), "help names a Swift type: \(help.stdout)")
        let reference = try FormatsReference()
        let documented = Self.flags(in: try reference.section("Service configuration").joined(separator: "\n"))
        let offered = Self.flags(in: help.stdout).subtracting(["--help", "--version"])
        #expect(
            offered == documented,
            "\(FormatsReference.difference(code: offered, documented: documented, what: "`baton serve` flags"))")
    }
}
