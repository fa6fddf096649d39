import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A file written in pieces and put in place whole: the pieces go to a temporary file in the
/// same folder, which is renamed over `path` only when every piece was written, so a reader
/// never sees half a file and a failed write leaves the old one as it was.
struct AtomicFile {
    struct Failure: Error {
        let message: String
    }

    private let descriptor: Int32

    /// Writes `body`'s pieces to a temporary file beside `path`, then renames it to `path`.
    /// - Throws: ``Failure`` (the system's reason) or what `body` throws; the temporary file is removed.
    static func write(path: String, _ body: (AtomicFile) throws -> Void) throws(Failure) {
        let temporary = "\(path).baton-\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(message: String(cString: strerror(errno))) }
        var open = true
        do {
            try body(AtomicFile(descriptor: descriptor))
            open = false
            guard close(descriptor) == 0 else { throw Failure(message: String(cString: strerror(errno))) }
            guard rename(temporary, path) == 0 else { throw Failure(message: String(cString: strerror(errno))) }
        } catch {
            if open { _ = close(descriptor) }
            _ = unlink(temporary)
            throw error as? Failure ?? Failure(message: "\(error)")
        }
    }

    /// Appends `bytes` (all of them: a short write continues, an interrupted one is retried).
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = Glibc.write(descriptor, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(message: String(cString: strerror(errno)))
            }
            left -= written
            next += written
        }
    }
}
