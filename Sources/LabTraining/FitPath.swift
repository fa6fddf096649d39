/// How a fit read its data.
package enum FitPath: Sendable, Equatable, CustomStringConvertible {
    /// The whole design (n × p doubles) and the parsed table in memory.
    case inMemory
    /// Row blocks of `blockRows` rows, re-read from the file on every Newton pass.
    case streaming(blockRows: Int)

    /// `in_memory` or `streaming`, as in the weight file's `training.fit_path`.
    package var description: String {
        switch self {
        case .inMemory: return "in_memory"
        case .streaming: return "streaming"
        }
    }
}
