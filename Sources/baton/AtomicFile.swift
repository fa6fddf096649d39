import BatonSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A file written in pieces and put in place whole: the pieces go to a temporary file in the
/// same folder, which takes `path`'s place only when every piece was written, so a reader
/// never sees half a file and a failed write leaves the old one as it was.
///
/// When `path` already holds a regular file, the two are swapped with `renameat2(2)`'s
/// `RENAME_EXCHANGE` and the old one is then unlinked. A plain `rename(2)` over an existing
/// file makes ext4 allocate the new file's blocks before it returns (its `auto_da_alloc`
/// guard for programs that never call `fsync`): 0.06–0.1 s for a 223 MB scored CSV, a tenth of
/// `baton score` on 1e6 leads. The swap is as atomic for readers; the kernel allocates the
/// blocks later, as for any file written in place. What it gives up is ext4's guard against a
/// power cut in the next seconds (before the kernel writes the file out), which may then leave a
/// short file instead of the old one: the scored CSV is made again by running the command again.
/// Where the swap is unsupported (another file system, an old kernel or C library) it falls back
/// to `rename(2)`.
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
            if exchangeWithExisting(temporary, path) {
                _ = unlink(temporary)  // now the old contents
            } else {
                guard rename(temporary, path) == 0 else { throw Failure(message: String(cString: strerror(errno))) }
            }
        } catch {
            if open { _ = close(descriptor) }
            _ = unlink(temporary)
            throw error as? Failure ?? Failure(message: "\(error)")
        }
    }

    /// Swaps `temporary` and `path` when `path` is a regular file; false when it is not, or the
    /// swap failed for any reason (the caller then renames).
    private static func exchangeWithExisting(_ temporary: String, _ path: String) -> Bool {
        var status = stat()
        guard let exchange = renameat2, lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
        return exchange(AT_FDCWD, temporary, AT_FDCWD, path, renameExchange) == 0
    }

    /// `RENAME_EXCHANGE` from <linux/fs.h>.
    private static let renameExchange: UInt32 = 1 << 1

    /// glibc's `renameat2` (2.28 and later), looked up at run time: Swift's Glibc module does
    /// not import it. Nil where the C library lacks it.
    private static let renameat2 = runtimeFunction(
        named: "renameat2", as: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32).self)

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
