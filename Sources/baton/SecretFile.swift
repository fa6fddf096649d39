import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A new file holding a secret (a token): created exclusively (`O_CREAT | O_EXCL`, so an
/// existing file, or a symbolic link planted at the path, is never overwritten or followed) with
/// mode 0600 from the start, so no other user can read it even for a moment.
enum SecretFile {
    enum Problem: Error, CustomStringConvertible {
        case exists(String)
        case cannotCreate(String, reason: String)

        var description: String {
            switch self {
            case .exists(let path): "\(path) exists; give a path that does not (a token file is never overwritten)"
            case .cannotCreate(let path, let reason): "cannot create \(path): \(reason)"
            }
        }
    }

    /// Ends with a usage error when `path` exists, before anything secret is made.
    static func requireAbsent(_ path: String, option: String) {
        if FileManager.default.fileExists(atPath: path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil {
            fail("\(option) \(Problem.exists(path))", .cannotCreate)
        }
    }

    /// Writes `text` and a newline to the new file `path`.
    static func write(_ text: String, to path: String) throws(Problem) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST { throw .exists(path) }
            throw .cannotCreate(path, reason: String(cString: strerror(code)))
        }
        defer { close(fd) }
        let bytes = Array((text + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw .cannotCreate(path, reason: String(cString: strerror(errno))) }
            written += n
        }
        guard fsync(fd) == 0 else { throw .cannotCreate(path, reason: String(cString: strerror(errno))) }
    }
}
