#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts the data rows of a file into byte ranges that start at row starts, so each can be
/// parsed on its own core.
///
/// A cut near `target` lands just after the first line end at or past it that is outside a
/// quoted field. Whether a position is inside quotes is decided the way ``CSVCursor`` decides
/// it (a quote opens a quoted field only at the start of a field, `""` inside one is a quote):
/// a range without any quote byte (found with `memchr`) cannot leave a field open, otherwise
/// the range is walked with that state machine.
enum ChunkSplitter {
    /// Up to `parts` ranges covering `start..<end`, in order.
    static func ranges(base: UnsafePointer<UInt8>, start: Int, end: Int, parts: Int, delimiter: UInt8) -> [Range<Int>] {
        guard parts > 1 else { return [start..<end] }
        var cuts = [start]
        var state = ScanState(position: start, inQuotes: false, atFieldStart: true)
        for part in 1..<parts {
            let target = start + (end - start) * part / parts
            guard target > state.position else { continue }
            advance(&state, base: base, to: target, end: end, delimiter: delimiter)
            guard let cut = nextRowStart(&state, base: base, end: end, delimiter: delimiter), cut < end else { break }
            cuts.append(cut)
        }
        cuts.append(end)
        return (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }
    }

    struct ScanState {
        var position: Int
        var inQuotes: Bool
        var atFieldStart: Bool
    }

    /// Moves the state to `target` (or a little past it when a `""` straddles it).
    static func advance(_ state: inout ScanState, base: UnsafePointer<UInt8>, to target: Int, end: Int, delimiter: UInt8) {
        if !state.inQuotes,
            memchr(base + state.position, Int32(CSVCursor.quote), target - state.position) == nil
        {
            // No quote byte: no field can open, so only "at a field start" needs updating.
            state.position = target
            let previous = base[target - 1]
            state.atFieldStart =
                previous == delimiter || previous == CSVCursor.lineFeed
                || previous == CSVCursor.carriageReturn
            return
        }
        while state.position < target { step(&state, base: base, end: end, delimiter: delimiter) }
    }

    /// From the state, the position just after the next line end outside quotes, or nil at the end.
    static func nextRowStart(_ state: inout ScanState, base: UnsafePointer<UInt8>, end: Int, delimiter: UInt8) -> Int? {
        while state.position < end {
            let byte = base[state.position]
            if !state.inQuotes, byte == CSVCursor.lineFeed || byte == CSVCursor.carriageReturn {
                var cut = state.position + 1
                if byte == CSVCursor.carriageReturn, cut < end, base[cut] == CSVCursor.lineFeed { cut += 1 }
                state = ScanState(position: cut, inQuotes: false, atFieldStart: true)
                return cut
            }
            step(&state, base: base, end: end, delimiter: delimiter)
        }
        return nil
    }

    @inline(__always)
    private static func step(_ state: inout ScanState, base: UnsafePointer<UInt8>, end: Int, delimiter: UInt8) {
        let byte = base[state.position]
        if state.inQuotes {
            if byte == CSVCursor.quote {
                if state.position + 1 < end, base[state.position + 1] == CSVCursor.quote {
                    state.position += 2
                    return
                }
                state.inQuotes = false
            }
            state.position += 1
            return
        }
        if state.atFieldStart, byte == CSVCursor.quote {
            state.inQuotes = true
            state.atFieldStart = false
        } else {
            state.atFieldStart = byte == delimiter || byte == CSVCursor.lineFeed || byte == CSVCursor.carriageReturn
        }
        state.position += 1
    }
}
