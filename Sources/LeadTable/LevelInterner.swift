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

    @inline(__always)
    private static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in 0..<count {
            h = (h ^ UInt64(base[k])) &* 0x0000_0100_0000_01B3
        }
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
        for k in 0..<count where arena[start + k] != base[k] { return false }
        return true
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
