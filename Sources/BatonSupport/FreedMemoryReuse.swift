/// Keeps memory a batch command frees inside the process for its next allocations, instead of
/// handing it back to the kernel and faulting in fresh, zeroed pages for the next one.
///
/// glibc's defaults suit a long-running server: a block of 128 KiB or more gets its own mapping
/// (raised, as such blocks are freed, towards the largest freed so far), and free memory at the
/// top of a heap beyond twice that is returned at once. A command that scores a file part by part
/// allocates and frees the same few-MiB buffers a few hundred times on each core; with the
/// defaults, `baton score` of 1e6 leads took ~180,000 page faults (the kernel zeroing every page
/// again), and with these settings ~6,000: about a third less wall time on the build host. The
/// tables themselves (tens of MiB and more) are still mapped on their own and given back when
/// freed. Only the batch commands call this; `baton serve` keeps the defaults.
package enum FreedMemoryReuse {
    /// Blocks below this size come from the heaps (and stay there when freed).
    package static let separateMappingBytes: Int32 = 32 << 20
    /// Free memory kept at the top of a heap before any is returned.
    package static let keptFreeBytes: Int32 = 256 << 20

    /// Applies the settings to this process (glibc only; elsewhere nothing changes).
    package static func keepForBatchWork() {
        guard let mallopt = Self.mallopt else { return }
        _ = mallopt(mmapThreshold, separateMappingBytes)
        _ = mallopt(trimThreshold, keptFreeBytes)
    }

    /// glibc's `mallopt`, which Swift's Glibc module does not import (<malloc.h>), and its
    /// `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` parameters as that header defines them.
    private static let mallopt = runtimeFunction(named: "mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self)
    private static let trimThreshold: Int32 = -1
    private static let mmapThreshold: Int32 = -3
}
