#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Transparent huge pages for large buffers that are about to be filled.
///
/// Debian's kernel gives 2 MiB pages only to memory that asks for them (`madvise` mode). With
/// 4 KiB pages, `baton fit` on 1e6 leads took ~300,000 page faults and 0.6 s of system time
/// (two thirds of one core) just to map fresh buffers; advising the few large ones cut that to
/// ~25,000 faults. The advice is a hint: where huge pages are off or memory is fragmented the
/// kernel falls back to small pages, and results never depend on it.
package enum HugePages {
    /// Buffers below this size are left alone (a huge page would mostly be waste).
    package static let minimumBytes = 4 << 20
    package static let hugePageBytes = 2 << 20

    /// Advises the whole 2 MiB-aligned pages inside `byteCount` bytes from `start`. Call before
    /// the memory is first written.
    package static func advise(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= minimumBytes else { return }
        let mask = hugePageBytes - 1
        let first = (Int(bitPattern: start) + mask) & ~mask
        let end = (Int(bitPattern: start) + byteCount) & ~mask
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, end - first, MADV_HUGEPAGE)
        #endif
    }

    /// Advises the storage of a buffer handed out uninitialised (`Array(unsafeUninitializedCapacity:)`).
    package static func advise<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        guard let base = buffer.baseAddress else { return }
        advise(UnsafeMutableRawPointer(base), byteCount: buffer.count * MemoryLayout<T>.stride)
    }

    /// `UnsafeMutablePointer.allocate(capacity:)`, advised when large.
    package static func allocate<T>(_: T.Type = T.self, capacity: Int) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        advise(UnsafeMutableRawPointer(pointer), byteCount: capacity * MemoryLayout<T>.stride)
        return pointer
    }
}
