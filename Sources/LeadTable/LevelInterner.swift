import Foundation

/// Open-addressing hash table from byte strings to dense `Int32` codes, so a text column
/// costs one code per row and one `String` per distinct level.
struct LevelInterner {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private(set) var levels: [String] = []
    private var slots: [Int32]
    private var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 64)
        mask = 63
    }

    /// A word-at-a-time multiply–xor hash: 8 bytes per step (level names are mostly 5–25 bytes),
    /// the tail packed into one last word with the length, then a final avalanche.
    @inline(__always)
    private static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(base)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        var k = 0
        while k + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            k += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while k < count {
            tail |= UInt64(base[k]) << shift
            shift += 8
            k += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    /// The code of the level spelled by `count` bytes at `base`, adding it if new.
    mutating func code(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        var slot = Int(truncatingIfNeeded: Self.hash(base, count)) & mask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            if equals(Int(code), base, count) { return code }
            slot = (slot + 1) & mask
        }
        let code = Int32(levels.count)
        arena.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
        starts.append(arena.count)
        levels.append(String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self))
        slots[slot] = code
        if levels.count * 2 > slots.count { grow() }
        return code
    }

    /// The code of `level`, adding it if new.
    mutating func code(of level: String) -> Int32 {
        var bytes = Array(level.utf8)
        bytes.append(0)  // never empty, so the buffer has an address
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { preconditionFailure("non-empty array without storage") }
            return code(base, buffer.count - 1)
        }
    }

    @inline(__always)
    private func equals(_ code: Int, _ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let start = starts[code]
        guard starts[code + 1] - start == count else { return false }
        return arena.withUnsafeBufferPointer { bytes in
            guard let stored = bytes.baseAddress else { return count == 0 }
            return memcmp(stored + start, base, count) == 0
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        arena.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            for code in 0..<levels.count {
                var slot = Int(truncatingIfNeeded: Self.hash(base + starts[code], starts[code + 1] - starts[code])) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(code)
            }
        }
    }
}
