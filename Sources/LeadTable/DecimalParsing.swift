#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact powers of ten up to 1e22: each is a Double exactly, so `mantissa / 10^k` with a
/// mantissa below 2^53 is a single correctly rounded operation (Clinger's fast path) and
/// gives the same Double as `Double(String)`.
private let exactPowersOfTen: [Double] = (0...22).map { k in
    var value = 1.0
    for _ in 0..<k { value *= 10 }
    return value
}

/// Parses a trimmed, non-empty decimal number: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`.
///
/// Returns nil for anything else (hex, `inf`, `nan`, thousands separators, text). A number
/// too large for a Double comes back as ±infinity; the caller rejects it. Plain integers and
/// decimals with at most 15 significant digits take a hand-written exact path; the rest go to
/// `strtod`, so every result equals `Double(String)` for the same text.
@inline(__always)
func parseDecimal(_ base: UnsafePointer<UInt8>, _ count: Int) -> Double? {
    var i = 0
    var negative = false
    if base[0] == 0x2D || base[0] == 0x2B {  // - +
        negative = base[0] == 0x2D
        i = 1
    }
    var mantissa: UInt64 = 0
    var significant = 0
    var fractionDigits = 0
    var sawDigit = false
    while i < count, base[i] &- 0x30 < 10 {
        let digit = UInt64(base[i] &- 0x30)
        if mantissa != 0 || digit != 0 { significant += 1 }
        if significant <= 19 { mantissa = mantissa &* 10 &+ digit }
        sawDigit = true
        i += 1
    }
    if i < count, base[i] == 0x2E {  // .
        i += 1
        while i < count, base[i] &- 0x30 < 10 {
            let digit = UInt64(base[i] &- 0x30)
            if mantissa != 0 || digit != 0 { significant += 1 }
            if significant <= 19 { mantissa = mantissa &* 10 &+ digit }
            fractionDigits += 1
            sawDigit = true
            i += 1
        }
    }
    guard sawDigit else { return nil }
    if i == count {
        if significant <= 15, fractionDigits <= 22 {
            var value = Double(mantissa)
            if fractionDigits > 0 { value /= exactPowersOfTen[fractionDigits] }
            return negative ? -value : value
        }
        return slowPath(base, count)
    }
    // Only an exponent may follow.
    guard base[i] == 0x65 || base[i] == 0x45 else { return nil }  // e E
    i += 1
    if i < count, base[i] == 0x2D || base[i] == 0x2B { i += 1 }
    var exponentDigits = 0
    while i < count, base[i] &- 0x30 < 10 {
        exponentDigits += 1
        i += 1
    }
    guard exponentDigits > 0, i == count else { return nil }
    return slowPath(base, count)
}

/// strtod on a NUL-terminated copy (the grammar was already checked, so it consumes it all).
private func slowPath(_ base: UnsafePointer<UInt8>, _ count: Int) -> Double? {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
        for k in 0..<count { buffer[k] = CChar(bitPattern: base[k]) }
        buffer[count] = 0
        guard let start = buffer.baseAddress else { return nil }
        var end: UnsafeMutablePointer<CChar>?
        let value = strtod(start, &end)
        guard let end, end - start == count else { return nil }
        return value
    }
}

/// Parses a decimal number from a Swift string with the same rules as the CSV reader
/// (surrounding spaces and tabs trimmed; nil for an empty or non-decimal string).
public func parseDecimalNumber(_ text: String) -> Double? {
    var bytes = Array(text.utf8)
    while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
    let start = bytes.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? bytes.count
    guard start < bytes.count else { return nil }
    return bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return nil }
        return parseDecimal(base + start, buffer.count - start)
    }
}
