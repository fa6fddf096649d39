import ArgumentParser
import Foundation
import HandoffRules
import LabNumerics
import LabTraining
import ScoringModelFormat

@main
struct Baton: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Lead scoring and the marketing-to-sales hand-off, with numbers behind it.",
        discussion: """
            The calibration lab: fit lead-scoring weights on closed-won / closed-lost history, validate \
            them against real conversion, and export a versioned, checksummed weight file.

            Exit codes: 0 ok, 64 usage, 65 bad data, 69 store server unavailable, 73 cannot create output, 1 other.
            """,
        version: CalibrationLab.toolVersion,
        subcommands: [
            Fit.self,
            Validate.self,
            Export.self,
            Generate.self,
            Recalibrate.self,
            Training.self,
            Score.self,
            Import.self,
            Review.self,
            HandoffCommand.self,
            Serve.self,
            Tokens.self,
            ConversationsCommand.self,
        ])

    /// ArgumentParser's entry point, after stopping OpenBLAS's idle worker threads (see
    /// ``BLASThreadPool``): every command then starts with both cores its own.
    static func main() async {
        BLASThreadPool.release()
        await main(nil)
    }
}

/// Runs a lab step; a ``LabError`` ends the process with its message and ``ExitStatus``.
func runLab(_ body: () throws(LabError) -> Void) {
    do {
        try body()
    } catch {
        fail(error)
    }
}

/// A typed result as pretty JSON with sorted keys and a final line break (`--json` output).
func printPrettyJSON(_ value: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    FileHandle.standardOutput.write((try? encoder.encode(value)) ?? Data())
    print()
}

func printJSON(_ value: JSONValue) {
    FileHandle.standardOutput.write(Data(CanonicalJSON.prettyBytes(value)))
}

/// `timings: {"stages_s": {...}, ...}` on one line of standard error, for benchmark harnesses.
func printTimings(_ timings: StageTimings, extra: [String: JSONValue] = [:]) {
    var stages: [String: JSONValue] = [:]
    for stage in timings.stages { stages[stage.name] = .double(stage.seconds) }
    var object = extra
    object["stages_s"] = .object(stages)
    var cpu: [String: JSONValue] = [:]
    for stage in timings.cpuSeconds { cpu[stage.name] = .double(stage.seconds) }
    object["cpu_s"] = .object(cpu)
    object["order"] = .array(timings.stages.map { .string($0.name) })
    FileHandle.standardError.write(Data(("timings: " + String(decoding: CanonicalJSON.canonicalBytes(.object(object)), as: UTF8.self) + "\n").utf8))
}
