import Foundation
import TestSupport
import Testing

/// The README's `baton serve` walkthrough, run as written: the fit on the bundled data, the
/// service on a fresh store with `Datasets/playbook.yaml`, then every `curl` call of the block
/// against it. A comment line indented three spaces after a command (`#   …`) is what that
/// command prints; `…` stands for text that changes from run to run (tokens, times, points).
/// `#   again → …` sends the same request once more. A call without such a line must succeed.
@Suite struct ReadmeServeWalkthroughTests {
    static let heading = "## The hand-off service"

    /// One command of the block and the output lines the README shows for it.
    struct Step {
        var words: [String]
        var expected: [String]
    }

    static func block() throws -> [String] {
        let readme = try String(contentsOf: SharedData.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let section = readme.range(of: "\n\(heading)\n"),
            let open = readme.range(of: "```sh\n", range: section.upperBound..<readme.endIndex),
            let close = readme.range(of: "\n```\n", range: open.upperBound..<readme.endIndex)
        else { throw FixtureError("README.md has no ```sh block under \"\(heading)\"") }
        return readme[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func steps(_ lines: [String]) -> [Step] {
        var steps: [Step] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            i += 1
            if line.hasPrefix("#") {
                if line.hasPrefix("#   "), !steps.isEmpty { steps[steps.count - 1].expected.append(String(line.dropFirst(4))) }
                continue
            }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            var text = line
            while text.filter { $0 == "'" }.count % 2 == 1 || text.hasSuffix("\\"), i < lines.count {
                text += "\n" + lines[i]
                i += 1
            }
            steps.append(Step(words: words(text), expected: []))
        }
        return steps
    }

    /// The words of a shell command: single quotes literal, double quotes and bare words keep
    /// `$NAME` for later, a backslash-newline joins lines, `#` at a word's start comments out the line.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current: String?
        var quote: Character?
        var iterator = Array(text)[...]
        while let c = iterator.popFirst() {
            if let q = quote {
                if c == q { quote = nil } else { current = (current ?? "") + String(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                current = current ?? ""
            } else if c == "\\", iterator.first == "\n" {
                iterator = iterator.dropFirst()
            } else if c == " " || c == "\n" {
                if let word = current { words.append(word) }
                current = nil
            } else if c == "#", current == nil {
                while let next = iterator.first, next != "\n" { iterator = iterator.dropFirst() }
            } else {
                current = (current ?? "") + String(c)
            }
        }
        if let word = current { words.append(word) }
        return words
    }

    /// Whether `actual` is `expected` with each `…` standing for any text.
    static func matches(_ actual: String, _ expected: String) -> Bool {
        let pattern = expected.components(separatedBy: "…").map(NSRegularExpression.escapedPattern(for:)).joined(separator: ".*")
        return actual.range(of: "(?s)^\(pattern)$", options: .regularExpression) != nil
    }

    @Test(.timeLimit(.minutes(3))) func theWalkthroughRunsAsWritten() async throws {
        let steps = Self.steps(try Self.block())
        try #require(steps.count >= 10, "the walkthrough is unexpectedly short: \(steps.map(\.words))")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("baton-readme-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: scratch.appendingPathComponent("Datasets"), withDestinationURL: SharedData.projectRoot.appendingPathComponent("Datasets"))
        var server: ServeProcess?
        defer {
            server?.stop()
            try? FileManager.default.removeItem(at: scratch)
        }
        func local(_ words: ArraySlice<String>) -> [String] {
            words.map { $0.hasPrefix("-") || $0.hasPrefix("/") || !$0.contains(".") ? $0 : scratch.appendingPathComponent($0).path }
        }
        let readmeAddress = "127.0.0.1:8080"
        var variables: [String: String] = [:]
        var lastToken: String?
        for step in steps {
            // `NAME=value command …`: the variables go to that command's environment.
            let assignments = step.words.prefix { $0.firstMatch(of: /^[A-Z][A-Z0-9_]*=/) != nil }
            let environment = Dictionary(
                assignments.map { word in
                    let parts = word.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
                }, uniquingKeysWith: { _, new in new })
            let words = Array(step.words.dropFirst(assignments.count))
            guard let command = words.first else { continue }
            let context = "README.md, \(Self.heading): `\(words.joined(separator: " ").prefix(120))`"
            if command == "swift" { continue }  // the test runs the binary the suite was built with
            if command.hasSuffix("/baton"), words.dropFirst().first == "fit" {
                let fit = Process()
                fit.executableURL = ServeProcess.executable
                fit.arguments = local(words.dropFirst())
                if !environment.isEmpty { fit.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
                fit.standardOutput = FileHandle.nullDevice
                // The wait is off the cooperative pool, which the suite's in-process servers need.
                let status = try await BlockingWork.run { () throws -> Int32 in
                    try fit.run()
                    fit.waitUntilExit()
                    return fit.terminationStatus
                }
                try #require(status == 0, "\(context) failed")
                continue
            }
            if command.hasSuffix("/baton"), words.dropFirst().first == "serve" {
                let started = try await ServeProcess.start(arguments: local(words.dropFirst(2)), environment: environment)
                server = started
                lastToken = started.printedToken
                let printed = started.startOutput.split(separator: "\n").map(String.init)
                #expect(printed.count == step.expected.count, "\(context) prints \(printed), the README shows \(step.expected)")
                for (line, expected) in zip(printed, step.expected) {
                    let expected = expected.replacingOccurrences(of: readmeAddress, with: "127.0.0.1:\(started.port)")
                    #expect(Self.matches(line, expected), "\(context) prints\n\(line)\nbut the README shows\n\(expected)")
                }
                continue
            }
            if command == "export", let assignment = words.dropFirst().first, let equals = assignment.firstIndex(of: "=") {
                let name = String(assignment[..<equals])
                #expect(assignment[assignment.index(after: equals)...] == "bt_…", "\(context): only tokens are exported")
                variables[name] = try #require(lastToken, "\(context): no token was shown before")
                continue
            }
            try #require(command == "curl", "\(context): the test does not know this command; extend it or move the line out of the block")
            let running = try #require(server, "\(context): curl before baton serve")
            var method = "GET", path = "", token: String?, body: Data?
            var rest = words.dropFirst()
            while let word = rest.popFirst() {
                switch word {
                case "-s": continue
                case "-X": method = rest.popFirst() ?? method
                case "-H":
                    let header = rest.popFirst() ?? ""
                    if header.hasPrefix("Authorization: Bearer $") { token = variables[String(header.dropFirst("Authorization: Bearer $".count))] }
                case "-d":
                    body = Data((rest.popFirst() ?? "").utf8)
                    if method == "GET" { method = "POST" }
                default:
                    try #require(word.hasPrefix("http://\(readmeAddress)/"), "\(context): unexpected word \(word)")
                    path = String(word.dropFirst("http://\(readmeAddress)".count))
                }
            }
            var expectations = step.expected
            if expectations.isEmpty { expectations = ["…"] }
            for expected in expectations {
                let again = expected.hasPrefix("again → ")
                let shown = again ? String(expected.dropFirst("again → ".count)) : expected
                let reply = try #require(
                    await running.request(method, path.replacingOccurrences(of: "$ADMIN", with: variables["ADMIN"] ?? ""), token: token, body: body),
                    "\(context): no answer")
                let text = "\(reply.status) \(String(decoding: reply.body, as: UTF8.self))"
                if step.expected.isEmpty {
                    #expect((200..<300).contains(reply.status), "\(context) answered \(text.prefix(300))")
                } else {
                    #expect(Self.matches(text, shown), "\(context) answered\n\(text)\nbut the README shows\n\(shown)")
                }
                if let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any], let shownToken = object["token"] as? String {
                    lastToken = shownToken
                }
            }
        }
        #expect(server != nil, "the walkthrough never starts baton serve")
    }
}
