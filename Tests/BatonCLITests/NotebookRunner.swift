import Foundation
import TestSupport
import Testing

/// Runs a walkthrough in Notebooks-md/ the way a reader would: every command of its ```sh blocks,
/// in order, in a fresh folder, with `../shared/` pointed at ``SharedData/root`` and `Datasets/`
/// at the repository's (a reader runs them from the repository's root). The walkthrough
/// tests then check the figures the text quotes in **bold** against what the commands wrote.
struct NotebookRun {
    /// The markdown text.
    let text: String
    /// The folder the commands ran in.
    let folder: URL
    /// Standard output of each command, in order.
    let stdout: [String]

    /// Runs the notebook at `Notebooks-md/<name>`; every command must be `baton …` and exit 0.
    init(_ name: String, expectedCommands: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let url = SharedData.projectRoot.appendingPathComponent("Notebooks-md/\(name)")
        text = try String(contentsOf: url, encoding: .utf8)
        let commands = Self.commands(in: text)
        #expect(commands.count == expectedCommands, "\(name): \(commands.map { $0.joined(separator: " ") })", sourceLocation: sourceLocation)
        folder = try CLI.scratch()
        var outputs: [String] = []
        for command in commands {
            try #require(command.first == "baton", "only baton commands belong in \(name): \(command)", sourceLocation: sourceLocation)
            let arguments = command.dropFirst().map {
                $0.hasPrefix("../shared/")
                    ? SharedData.root.path + "/" + $0.dropFirst(10)
                    : $0.hasPrefix("Datasets/") ? SharedData.projectRoot.appendingPathComponent($0).path : $0
            }
            let result = try await CLI.run(arguments, in: folder)
            try #require(result.exitCode == 0, "\(command.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
            outputs.append(result.stdout)
        }
        stdout = outputs
    }

    /// Expects the text to quote `**figure**`.
    func claim(_ figure: String, _ why: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text.contains("**\(figure)**"), "the walkthrough should quote **\(figure)** (\(why))", sourceLocation: sourceLocation)
    }

    /// A file the commands wrote, as text.
    func read(_ path: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
    }

    /// A JSON object file the commands wrote.
    func json(_ path: String) throws -> [String: Any] {
        try Self.json(folder.appendingPathComponent(path))
    }

    /// The ```sh blocks' commands, continuation lines joined, split on spaces (the notebooks use no quoting).
    static func commands(in markdown: String) -> [[String]] {
        var commands: [[String]] = []
        var inBlock = false
        var pending = ""
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inBlock = line == "```sh"
                continue
            }
            guard inBlock else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("\\") {
                pending += trimmed.dropLast() + " "
                continue
            }
            let command = pending + trimmed
            pending = ""
            if !command.isEmpty { commands.append(command.split(separator: " ").map(String.init)) }
        }
        return commands
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// `x` with `digits` decimals (NaN when it is not a Double, so a missing key cannot match).
    static func f(_ x: Any?, _ digits: Int = 3) -> String {
        String(format: "%.\(digits)f", (x as? Double) ?? .nan)
    }
}
