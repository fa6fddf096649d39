#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a path names an input file the batch commands can read. They read their inputs more
/// than once (a CSV's header first, then its rows part by part on all cores, its checksum on a
/// thread of its own; a weight file or a spec whole, by size), which a pipe, a FIFO, a socket or
/// a device (`/dev/stdin`, `<(zcat leads.csv.gz)`) cannot give: such a path used to fail with a
/// misleading "permission" error, or lose the header to the first read.
package enum InputFile {
    package enum Problem: Sendable, Equatable {
        /// No such file, or not readable by this user.
        case missingOrUnreadable
        case directory
        /// A pipe, a FIFO, a socket or a device.
        case notRegular
    }

    /// Nil when `path` (symbolic links followed) is a readable regular file.
    package static func problem(atPath path: String) -> Problem? {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missingOrUnreadable }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return access(path, R_OK) == 0 ? nil : .missingOrUnreadable
        case S_IFDIR: return .directory
        default: return .notRegular
        }
    }

    /// What the user reads for a `role` file (`data`, `spec`, `weight file`) with `problem`.
    package static func message(_ problem: Problem, path: String, role: String) -> String {
        switch problem {
        case .missingOrUnreadable:
            "\(role) file \(path) does not exist or cannot be read; check the path"
        case .directory:
            "\(role) file \(path) is a directory; give the path of a file in it"
        case .notRegular:
            "\(role) file \(path) is a pipe or a device, not a regular file: baton reads its inputs more than once; save it to a file first (for example `zcat leads.csv.gz > leads.csv`)"
        }
    }
}
