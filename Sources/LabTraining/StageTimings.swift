import Foundation

/// Wall-clock seconds spent in each stage of a lab run, in the order the stages ran.
///
/// Measured with the monotonic clock around each stage, so benchmark harnesses can report the
/// fit stage alone (`fit`) beside end-to-end times. Stages that run concurrently with others
/// (hashing the input while parsing) are timed from their own start to their own end.
package struct StageTimings: Sendable, Equatable {
    /// `(stage, seconds)` in run order.
    package private(set) var stages: [(name: String, seconds: Double)] = []
    /// Process CPU seconds (all threads) per stage measured with ``measure(_:_:)``, in run
    /// order: less sensitive than wall time to other work on a busy machine.
    package private(set) var cpuSeconds: [(name: String, seconds: Double)] = []

    package init() {}

    /// Seconds of the stage `name`, nil if it did not run.
    package subscript(name: String) -> Double? { stages.first { $0.name == name }?.seconds }

    /// Sum over stages (not the wall time when stages overlap).
    package var total: Double { stages.reduce(0) { $0 + $1.seconds } }

    /// Records `seconds` for `name`.
    package mutating func record(_ name: String, seconds: Double) {
        stages.append((name, seconds))
    }

    /// Appends `other`'s stages after these (an attempt timed on its own, kept when it succeeded).
    package mutating func append(_ other: StageTimings) {
        stages += other.stages
        cpuSeconds += other.cpuSeconds
    }

    /// Runs `body`, recording its duration under `name`.
    package mutating func measure<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = Self.processCPUSeconds()
        defer {
            record(name, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            cpuSeconds.append((name, Self.processCPUSeconds() - cpuStart))
        }
        return try body()
    }

    static func processCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    package static func == (a: StageTimings, b: StageTimings) -> Bool {
        a.stages.map(\.name) == b.stages.map(\.name) && a.stages.map(\.seconds) == b.stages.map(\.seconds)
    }
}
