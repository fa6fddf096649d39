import BatonSupport
import Foundation

/// A seeded generator of synthetic B2B leads with a known true logistic model, for
/// `baton generate --rows N --seed S --out FILE`, end-to-end checks and demos.
///
/// The CSV (comma separated, header line, `\n` line ends, no quoting needed) has
/// `lead_id` (`L00000001`…), `created_at` (ISO 8601 UTC, monotone in row order, spread evenly over
/// 2023-01-01T00:00:00Z … 2024-12-31T23:59:59Z), ten categorical fit columns, fifteen engagement
/// counts and `won` (0/1). The outcome is drawn from `p = 1/(1 + e^(−η))` where η is exactly
/// linear in the terms of the encoding ``specYAML`` describes (see ``trueTerms()``), so a
/// correct fit of a large file recovers ``trueTerms()``.
///
/// Rows come in blocks of ``blockSize``; block `b` draws from its own xoshiro256** stream
/// (seed and `b` expanded by SplitMix64), so the output depends only on `(rows, seed)`, not on
/// the number of cores, and is produced block by block in constant memory (blocks are generated
/// concurrently and written in order). The random streams are pure integer arithmetic and identical
/// everywhere; the samplers call the C library's `exp`/`log`/`pow`, so a platform whose libm rounds
/// differently in the last bit could, rarely, draw a different count (glibc builds agree byte for byte).
package enum SyntheticLeads {
    /// Rows per block: the unit of streaming and of random sub-streams.
    package static let blockSize = 10_000

    /// Creation times start at 2023-01-01T00:00:00Z and span `SyntheticOptions.quarters` quarters (default 8 = 731 days).
    static let windowStartDay = 19358  // days from 1970-01-01 to 2023-01-01

    /// Writes `rows` leads to `url` (replacing it) and returns the truth.
    /// - Throws: ``SyntheticLeadsError`` when the file cannot be created or written.
    /// - Precondition: `rows ≥ 1`.
    @discardableResult
    package static func write(rows: Int, seed: UInt64, options: SyntheticOptions = .init(), to url: URL) throws -> SyntheticTruth {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw SyntheticLeadsError.cannotWrite(file: url.path, detail: "cannot create the file")
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forWritingTo: url)
        } catch {
            throw SyntheticLeadsError.cannotWrite(file: url.path, detail: error.localizedDescription)
        }
        defer { try? handle.close() }
        return try generate(rows: rows, seed: seed, options: options) { bytes in
            do {
                try handle.write(contentsOf: bytes)
            } catch {
                throw SyntheticLeadsError.cannotWrite(file: url.path, detail: error.localizedDescription)
            }
        }
    }

    /// Generates `rows` leads, handing the CSV bytes to `sink` in order, one block (header first) at a time.
    /// - Precondition: `rows ≥ 1`.
    @discardableResult
    package static func generate(
        rows: Int, seed: UInt64, options: SyntheticOptions = .init(), sink: ([UInt8]) throws -> Void
    ) throws -> SyntheticTruth {
        precondition(rows >= 1, "generate at least one row")
        let plan = GenerationPlan(options: options)
        try sink(Array((columns.joined(separator: ",") + "\n").utf8))
        // Blocks are independent streams, so a group of them is generated concurrently and then
        // handed to the sink in order: the bytes do not depend on the number of cores.
        let blockCount = (rows + blockSize - 1) / blockSize
        let groupSize = max(1, min(2 * ProcessInfo.processInfo.activeProcessorCount, 16))
        var buffers = [[UInt8]](repeating: [], count: groupSize)
        var summaries = [(positives: Int, probabilitySum: Double, driftedRows: Int)](repeating: (0, 0, 0), count: groupSize)
        var driftedRows = 0
        var positives = 0
        var probabilitySum = 0.0
        var groupStart = 0
        while groupStart < blockCount {
            let inGroup = min(groupSize, blockCount - groupStart)
            let firstBlock = groupStart
            buffers.withUnsafeMutableBufferPointer { buffers in
                summaries.withUnsafeMutableBufferPointer { summaries in
                    // Each iteration touches only its own element of each buffer.
                    nonisolated(unsafe) let buffers = buffers
                    nonisolated(unsafe) let summaries = summaries
                    DispatchQueue.concurrentPerform(iterations: inGroup) { slot in
                        let block = firstBlock + slot
                        let first = block * blockSize
                        buffers[slot].removeAll(keepingCapacity: true)
                        buffers[slot].reserveCapacity(blockSize * 160)
                        summaries[slot] = plan.writeBlock(
                            block, firstRow: first, count: min(blockSize, rows - first), totalRows: rows, seed: seed,
                            into: &buffers[slot])
                    }
                }
            }
            for slot in 0..<inGroup {
                positives += summaries[slot].positives
                probabilitySum += summaries[slot].probabilitySum
                driftedRows += summaries[slot].driftedRows
                try sink(buffers[slot])
            }
            groupStart += inGroup
        }
        return SyntheticTruth(
            seed: seed, rows: rows, positives: positives, wonRate: Double(positives) / Double(rows),
            meanProbability: probabilitySum / Double(rows), terms: trueTerms(),
            drift: options.driftStartDay.map {
                SyntheticDriftTruth(starts: CivilDate.isoDate(day: $0), rows: driftedRows, terms: SyntheticDrift.trueTerms())
            })
    }
}

/// What the generator knows that a fit should find: the true coefficients and the realised outcome.
package struct SyntheticTruth: Codable, Sendable, Equatable {
    package let seed: UInt64
    package let rows: Int
    /// Rows with `won = 1`.
    package let positives: Int
    /// `positives / rows`.
    package let wonRate: Double
    /// Mean of the true probabilities over the rows (the won rate's expectation).
    package let meanProbability: Double
    /// The true model, in the encoding's term order.
    package let terms: [TrueTerm]
    /// The market after the drift, when the file was generated with one (absent otherwise).
    package var drift: SyntheticDriftTruth? = nil
    /// How the terms are built from the columns.
    package var encoding = "(intercept); categorical column=level, levels in byte order, first dropped (baseline); counts log1p(column)"

    /// The true coefficients by term name.
    package var coefficients: [String: Double] {
        Dictionary(terms.map { ($0.name, $0.coefficient) }, uniquingKeysWith: { first, _ in first })
    }

    /// Pretty JSON with sorted keys; `terms` keeps the model order.
    package func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    enum CodingKeys: String, CodingKey {
        case seed, rows, positives, terms, encoding, drift
        case wonRate = "won_rate"
        case meanProbability = "mean_probability"
    }
}

/// Why synthetic leads could not be written.
package enum SyntheticLeadsError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotWrite(file: String, detail: String)

    package var description: String {
        switch self {
        case .cannotWrite(let file, let detail):
            return "cannot write synthetic leads to \(file): \(detail); check that the folder exists and is writable, and that the disk has room"
        }
    }
}
