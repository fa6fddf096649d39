import BatonSupport
import Crypto
import Foundation

/// The SHA-256 (FIPS 180-4) checksum of weight files and training data, streaming: feed bytes with ``update(_:)`` in chunks of any size, then
/// call ``finalize()`` once.
///
/// The weight file carries a checksum of its own content and of the (possibly large) training
/// CSV. The compression runs in swift-crypto's BoringSSL, which uses the CPU's SHA extensions
/// where present (≈ 1.5–2 GB/s here, against ≈ 0.3 GB/s for the pure-Swift rounds Baton had
/// before): hashing a 148 MB training file was the largest single cost of `baton fit` after the
/// read. This type keeps Baton's own small API so callers never import Crypto.
///
/// ```swift
/// var hasher = Checksum()
/// hasher.update(Array("abc".utf8))
/// let hex = hasher.finalize().hex   // "ba7816bf…"
/// ```
public struct Checksum: Sendable {
    /// The 32-byte digest.
    public struct Digest: Sendable, Equatable, Hashable, CustomStringConvertible {
        public let bytes: [UInt8]
        /// Lower-case hexadecimal, 64 characters.
        public var hex: String { lowercaseHex(bytes) }
        public var description: String { hex }
    }

    private var hasher = Crypto.SHA256()

    public init() {}

    /// Adds bytes to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// Adds bytes to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds bytes to the message.
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// Pads the message and returns the digest. Call once; the hasher is spent afterwards.
    public mutating func finalize() -> Digest {
        Digest(bytes: Array(hasher.finalize()))
    }

    /// The digest of a whole message in memory.
    public static func hash(_ data: Data) -> Digest {
        var hasher = Checksum()
        hasher.update(data)
        return hasher.finalize()
    }

    /// The digest of a whole message in memory.
    public static func hash(_ bytes: [UInt8]) -> Digest {
        var hasher = Checksum()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of a file, read in chunks of `chunkSize` bytes into one reused buffer (so a
    /// large CSV never sits in memory whole, and no fresh pages are faulted in per chunk).
    /// Throws the underlying Foundation error when the file cannot be opened or read.
    public static func hash(fileAt url: URL, chunkSize: Int = 1 << 20) throws -> Digest {
        precondition(chunkSize > 0, "chunkSize must be positive")
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        var hasher = Checksum()
        while true {
            let count = read(handle.fileDescriptor, buffer.baseAddress, chunkSize)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw CocoaError(
                    .fileReadUnknown,
                    userInfo: [
                        NSFilePathErrorKey: url.path,
                        NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO),
                    ])
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return hasher.finalize()
    }
}
