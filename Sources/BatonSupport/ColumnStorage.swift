/// The cells of one table column, in memory its producer filled in place: the CSV reader
/// writes each chunk's rows straight into the column, so a table is never copied from
/// per-chunk buffers into arrays (for 1e6 leads that copy and its fresh pages were a quarter
/// of a read), and the batch scorer reads the same memory.
///
/// Immutable once handed out; read it like an array (`values[row]`, `count`, iteration,
/// ``withUnsafeBufferPointer(_:)``). Several columns may share one allocation
/// (``ColumnArena``), which lives while any of them does.
public struct ColumnStorage<Element: BitwiseCopyable & Equatable & Sendable>: RandomAccessCollection, Equatable,
    ExpressibleByArrayLiteral, @unchecked Sendable
{
    // Safe to share: the memory is written only before the storage is handed out, and freed
    // only when the last column referring to its arena goes.
    @usableFromInline let arena: ColumnArena
    @usableFromInline let base: UnsafePointer<Element>
    public let count: Int

    /// `count` cells at `base`, inside `arena` (which they keep alive); written before this call.
    package init(arena: ColumnArena, base: UnsafePointer<Element>, count: Int) {
        self.arena = arena
        self.base = base
        self.count = count
    }

    /// A column holding `array`'s elements (tests, small tables).
    public init(_ array: [Element]) {
        let arena = ColumnArena(bytes: Swift.max(1, array.count) * MemoryLayout<Element>.stride)
        let base = arena.pointer.bindMemory(to: Element.self, capacity: Swift.max(1, array.count))
        array.withUnsafeBufferPointer { source in
            if let start = source.baseAddress { base.initialize(from: start, count: array.count) }
        }
        self.init(arena: arena, base: base, count: array.count)
    }

    public init(arrayLiteral elements: Element...) {
        self.init(elements)
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    // Inlinable, like Array's: the readers index a million rows per column.
    @inlinable public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "ColumnStorage: row \(position) of \(count)")
        return base[position]
    }

    /// Calls `body` with the cells as a buffer (valid only during the call).
    @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withExtendedLifetime(arena) { try body(UnsafeBufferPointer(start: base, count: count)) }
    }

    @inlinable public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R? {
        try withUnsafeBufferPointer(body)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

/// One raw allocation shared by the columns carved out of it, freed with the last of them.
@usableFromInline package final class ColumnArena: @unchecked Sendable {
    package let pointer: UnsafeMutableRawPointer

    /// `bytes` uninitialised bytes, 16-byte aligned; large ones advised for huge pages.
    package init(bytes: Int) {
        pointer = .allocate(byteCount: max(16, bytes), alignment: 16)
        HugePages.advise(pointer, byteCount: bytes)
    }

    deinit { pointer.deallocate() }
}
