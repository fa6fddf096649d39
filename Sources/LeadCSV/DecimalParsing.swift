#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact powers of ten up to 1e22: each is a Double exactly, so an integer mantissa of at most
/// 2^53 times or divided by one of them is a single correctly rounded operation (Clinger's fast
/// path) and gives the same Double as `Double(String)`.
private let exactPowersOfTen: [Double] = (0...22).map { k in
    var value = 1.0
    for _ in 0..<k { value *= 10 }
    return value
}

/// Exact powers of ten up to 1e19 as integers (for mantissas shifted into range).
private let integerPowersOfTen: [UInt64] = (0...19).map { k in
    var value: UInt64 = 1
    for _ in 0..<k { value *= 10 }
    return value
}

/// Parses a trimmed, non-empty decimal number: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`.
///
/// Returns nil for anything else (hex, `inf`, `nan`, thousands separators, text). A number
/// too large for a Double comes back as ±infinity; the caller rejects it. The digits are
/// gathered into an integer mantissa and a power-of-ten scale; when the mantissa has at most
/// 19 digits, is at most 2^53 and the scale is within 10^±22 (or can be moved there exactly),
/// one multiplication or division gives the correctly rounded result. Everything else goes to
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
    let integerStart = i
    while i < count {
        let digit = base[i] &- 0x30
        if digit >= 10 { break }
        mantissa = mantissa &* 10 &+ UInt64(digit)
        i += 1
    }
    var digits = i - integerStart
    var scale = 0
    if i < count, base[i] == 0x2E {  // .
        i += 1
        let fractionStart = i
        while i < count {
            let digit = base[i] &- 0x30
            if digit >= 10 { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i += 1
        }
        digits += i - fractionStart
        scale = fractionStart - i
    }
    guard digits > 0 else { return nil }
    if i < count {
        // Only an exponent may follow.
        guard base[i] == 0x65 || base[i] == 0x45 else { return nil }  // e E
        i += 1
        var exponentNegative = false
        if i < count, base[i] == 0x2D || base[i] == 0x2B {
            exponentNegative = base[i] == 0x2D
            i += 1
        }
        let exponentStart = i
        var exponent = 0
        while i < count {
            let digit = base[i] &- 0x30
            if digit >= 10 { break }
            if exponent < 100_000 { exponent = exponent * 10 + Int(digit) }  // beyond: the slow path
            i += 1
        }
        guard i > exponentStart, i == count else { return nil }
        scale += exponentNegative ? -exponent : exponent
    }
    // Up to 19 digits the mantissa has not wrapped; longer ones (even with leading zeros) are rare.
    if digits <= 19, mantissa <= 1 << 53 {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        var value = Double(mantissa)
        if scale < 0 {
            guard scale >= -22 else { return slowPath(base, count) }
            value /= exactPowersOfTen[-scale]
        } else if scale > 0 {
            if scale > 22 {
                // 12e25 = 12000 * 1e22 exactly when the shifted mantissa stays below 2^53.
                let shift = scale - 22
                guard shift <= 16 else { return slowPath(base, count) }
                let shifted = mantissa.multipliedReportingOverflow(by: integerPowersOfTen[shift])
                guard !shifted.overflow, shifted.partialValue <= 1 << 53 else { return slowPath(base, count) }
                value = Double(shifted.partialValue)
                value *= exactPowersOfTen[22]
            } else {
                value *= exactPowersOfTen[scale]
            }
        }
        return negative ? -value : value
    }
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
package func parseDecimalNumber(_ text: String) -> Double? {
    var bytes = Array(text.utf8)
    while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
    let start = bytes.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? bytes.count
    guard start < bytes.count else { return nil }
    return bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return nil }
        return parseDecimal(base + start, buffer.count - start)
    }
}
