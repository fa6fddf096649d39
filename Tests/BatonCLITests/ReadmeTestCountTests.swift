import Foundation
import TestSupport
import Testing

/// The README's "Tests" section gives the suite's size as a lower bound ("over N tests"), which
/// must hold for the `@Test` functions under `Tests/`; a bound, not a count, so adding a test
/// never makes the README wrong, while deleting many does.
@Suite struct ReadmeTestCountTests {
    @Test func theSuiteHasAtLeastTheTestsTheReadmeClaims() throws {
        let root = SharedData.projectRoot
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let claim = try #require(
            readme.firstMatch(of: /runs everything \(over (\d+) tests;/)?.output.1, "README.md no longer says how many tests run")
        let claimed = try #require(Int(claim))
        var count = 0
        let tests = root.appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            count += text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("@Test") }.count
        }
        #expect(count >= claimed, "README.md claims over \(claimed) tests, Tests/ holds \(count) @Test functions: update the README")
        #expect(count < claimed + 200, "README.md claims over \(claimed) tests, Tests/ holds \(count): raise the figure")
    }
}
