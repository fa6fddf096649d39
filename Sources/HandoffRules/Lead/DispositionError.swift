import Foundation

/// A disposition that cannot be recorded.
package enum DispositionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The code is not in the playbook.
    case unknownCode(String, valid: [String])
    /// The code needs the minimum contact attempts first.
    case tooFewAttempts(code: String, made: Int, required: Int)

    package var description: String {
        switch self {
        case .unknownCode(let code, let valid):
            return "unknown disposition code `\(code)`; valid codes: \(valid.joined(separator: ", ")) (add custom codes under `dispositions.codes`)"
        case .tooFewAttempts(let code, let made, let required):
            let missing = required - made
            return
                "`\(code)` needs \(required) contact attempts before the lead returns to nurture; \(made) made, \(missing) more attempt\(missing == 1 ? "" : "s") still needed"
        }
    }
}
