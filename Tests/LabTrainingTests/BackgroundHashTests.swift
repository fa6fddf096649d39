import Foundation
import ScoringModelFormat
import TestSupport
import Testing

@testable import LabTraining

/// The training file's digest, computed on an idle-priority thread, is the file's SHA-256
/// whether it is awaited at once (the thread put back to normal priority before it even
/// started, or while it runs) or after it finished, and however often it is awaited.
@Suite struct BackgroundHashTests {
    @Test func theDigestIsTheFilesWhenEverItIsAwaited() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hash-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        var random = SplitMix64(seed: 5)
        let bytes = (0..<3_000_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        try Data(bytes).write(to: url)
        let expected = try Checksum.hash(fileAt: url).hex
        for pause in [0.0, 0.001, 0.2] {
            let hashing = BackgroundHash(url: url)
            if pause > 0.1 { hashing.stopIdling() }
            Thread.sleep(forTimeInterval: pause)
            let first = hashing.wait()
            #expect(try first.hex.get() == expected && first.seconds >= 0, "awaited after \(pause) s")
            #expect(try hashing.wait().hex.get() == expected)
        }
    }
}
