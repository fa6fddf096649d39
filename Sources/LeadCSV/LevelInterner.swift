import Foundation

/// Open-addressing hash table from byte strings to dense `Int32` codes, so a text column
/// costs one code per row and one `String` per distinct level.
///
/// Each slot holds a level's first 16 bytes (as two zero-padded words) and its length, so the
/// usual lookup of a short level (most are 2–16 bytes) is two loads, a hash and one slot
/// compare, with no call and no pointer chase. Longer levels compare their remaining bytes
/// against a copy kept in ``tails``.
struct LevelInterner {
    private var slots: [Slot]
    private var mask: Int
    /// Bytes 16... of each level longer than 16 bytes, zero-padded to words; index per code.
    private var tails: [UInt64] = []
    private var tailStarts: [Int] = []
    private(set) var levels: [String] = []

    private struct Slot {
        var head0: UInt64
        var head1: UInt64
        var count: Int
        /// -1 when empty.
        var code: Int32
    }

    private static let empty = Slot(head0: 0, head1: 0, count: 0, code: -1)

    init() {
        slots = [Slot](repeating: Self.empty, count: 64)
        mask = 63
    }

    /// The low `bytes` bytes of `word` (none for bytes ≤ 0, all for bytes ≥ 8).
    @inline(__always)
    private static func low(_ word: UInt64, _ bytes: Int) -> UInt64 {
        let kept = min(max(bytes, 0), 8)
        return word & (UInt64.max >> UInt64(64 &- kept &* 8))  // a shift by 64 gives 0
    }

    /// Word `k` (bytes 8k..<8k+8) of the `count` bytes at `base`, zero-padded past `count`.
    /// `readable` bytes from `base` may be loaded (≥ count), so a word is one load when it can be.
    @inline(__always)
    private static func word(_ base: UnsafePointer<UInt8>, _ count: Int, readable: Int, _ k: Int) -> UInt64 {
        let offset = k &* 8
        let left = count &- offset
        if left <= 0 { return 0 }
        if offset &+ 8 <= readable {
            return low(UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)), left)
        }
        var tail: UInt64 = 0
        for j in 0..<min(left, 8) { tail |= UInt64(base[offset &+ j]) &<< UInt64(j &* 8) }
        return tail
    }

    @inline(__always)
    private static func hash(_ head0: UInt64, _ head1: UInt64, _ count: Int) -> UInt64 {
        let h = (head0 ^ (head1 &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(truncatingIfNeeded: count)) &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h &>> 32)
    }

    /// The code of the level spelled by `count` bytes at `base`, adding it if new. `readable`
    /// (≥ `count`) is how many bytes from `base` are valid to load.
    @inline(__always)
    mutating func code(_ base: UnsafePointer<UInt8>, _ count: Int, readable: Int) -> Int32 {
        let head0: UInt64
        let head1: UInt64
        if readable >= 16 {
            let raw = UnsafeRawPointer(base)
            head0 = Self.low(UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)), count)
            head1 = Self.low(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)), count &- 8)
        } else {
            head0 = Self.word(base, count, readable: readable, 0)
            head1 = Self.word(base, count, readable: readable, 1)
        }
        let hash = Self.hash(head0, head1, count)
        let found: Int32? = slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let entry = slots[slot]
                if entry.code < 0 { return nil }
                if entry.head0 == head0, entry.head1 == head1, entry.count == count,
                    count <= 16 || tailEquals(Int(entry.code), base, count, readable: readable)
                {
                    return entry.code
                }
                slot = (slot &+ 1) & mask
            }
        }
        return found ?? insert(base, count, readable: readable, head0: head0, head1: head1, hash: hash)
    }

    /// The code of `level`, adding it if new.
    mutating func code(of level: String) -> Int32 {
        var bytes = Array(level.utf8)
        bytes.append(0)  // never empty, so the buffer has an address
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { preconditionFailure("non-empty array without storage") }
            return code(base, buffer.count - 1, readable: buffer.count - 1)
        }
    }

    /// Whether bytes 16... of level `code` equal those at `base` (same length already checked).
    private func tailEquals(_ code: Int, _ base: UnsafePointer<UInt8>, _ count: Int, readable: Int) -> Bool {
        let start = tailStarts[code]
        var k = 2
        while k &* 8 < count {
            if tails[start + k - 2] != Self.word(base, count, readable: readable, k) { return false }
            k += 1
        }
        return true
    }

    private mutating func insert(
        _ base: UnsafePointer<UInt8>, _ count: Int, readable: Int,
        head0: UInt64, head1: UInt64, hash: UInt64
    ) -> Int32 {
        let code = Int32(levels.count)
        tailStarts.append(tails.count)
        var k = 2
        while k * 8 < count {
            tails.append(Self.word(base, count, readable: readable, k))
            k += 1
        }
        levels.append(String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self))
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].code >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Slot(head0: head0, head1: head1, count: count, code: code)
        if levels.count * 2 > slots.count { grow() }
        return code
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        var grown = [Slot](repeating: Self.empty, count: capacity)
        let newMask = capacity - 1
        for entry in slots where entry.code >= 0 {
            var slot = Int(truncatingIfNeeded: Self.hash(entry.head0, entry.head1, entry.count)) & newMask
            while grown[slot].code >= 0 { slot = (slot + 1) & newMask }
            grown[slot] = entry
        }
        slots = grown
        mask = newMask
    }
}
