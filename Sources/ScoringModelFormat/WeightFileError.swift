/// Why a weight file could not be written, read or used. Each case names the file (or `nil`
/// for data not read from a file) and its `description` says what to do.
public enum WeightFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read or written at all.
    case io(file: String, detail: String)
    /// The bytes are not JSON.
    case notJSON(file: String, detail: String)
    /// The `format` member is missing or names another kind of file.
    case wrongFormat(file: String, found: String?)
    /// A later `baton.weights` version than this build reads.
    case newerVersion(file: String, found: String)
    /// No `sha256` member.
    case missingChecksum(file: String)
    /// The content does not hash to the recorded `sha256`.
    case checksumMismatch(file: String, recorded: String, computed: String)
    /// JSON of the right format whose members have the wrong shape (key path in `key`).
    case invalidContent(file: String, key: String, detail: String)
    /// Well-formed members that contradict each other (a term without an encoding, …).
    case inconsistent(file: String, detail: String)
    /// A number that JSON cannot hold (NaN, ±∞) at `key`.
    case nonFiniteNumber(key: String, value: String)

    public var description: String {
        let supported = WeightFile.currentFormat
        switch self {
        case .io(let file, let detail):
            return "\(file): cannot read or write the weight file: \(detail); check the path and permissions"
        case .notJSON(let file, let detail):
            return "\(file): not a weight file (not valid JSON: \(detail)); pass the .json file written by `baton fit`/`baton export`"
        case .wrongFormat(let file, let found):
            let what = found.map { "format \"\($0)\"" } ?? "no \"format\" member"
            return "\(file): not a Baton weight file (\(what); this build reads \(supported)); pass the file written by `baton fit`/`baton export`"
        case .newerVersion(let file, let found):
            return
                "\(file): format \"\(found)\" is newer than this build reads (\(supported)); upgrade baton, or re-export the model with this version's `baton export`"
        case .missingChecksum(let file):
            return "\(file): has no \"sha256\" member, so its integrity cannot be checked; re-export with `baton fit`/`baton export`"
        case .checksumMismatch(let file, let recorded, let computed):
            return
                "\(file): checksum mismatch: the file was edited or damaged after export; re-export with `baton fit`/`baton export` (recorded sha256 \(recorded), content hashes to \(computed))"
        case .invalidContent(let file, let key, let detail):
            return "\(file): invalid weight file at \(key): \(detail); re-export with `baton fit`/`baton export`"
        case .inconsistent(let file, let detail):
            return "\(file): inconsistent weight file: \(detail); re-export with `baton fit`/`baton export`"
        case .nonFiniteNumber(let key, let value):
            return
                "cannot write the weight file: \(key) is \(value), which JSON cannot hold; the fit or metric that produced it failed (check convergence/separation) and must be fixed or the field left out"
        }
    }
}
