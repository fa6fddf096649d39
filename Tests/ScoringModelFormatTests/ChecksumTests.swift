import Foundation
import ScoringModelFormat
import TestSupport
import Testing

/// FIPS 180-2 appendix B test vectors and the real lead file's published digest.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func fipsVectors(message: String, expected: String) {
        #expect(Checksum.hash(Array(message.utf8)).hex == expected)
    }

    @Test func oneMillionAsInUnevenChunks() {
        var hasher = Checksum()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 997)  // prime, so blocks straddle chunks
        var remaining = 1_000_000
        while remaining > 0 {
            let take = min(remaining, chunk.count)
            hasher.update(Array(chunk[0..<take]))
            remaining -= take
        }
        #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func chunkingDoesNotChangeTheDigest() {
        var generator = SplitMix64(seed: 7)
        let message = (0..<1000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let whole = Checksum.hash(message)
        for split in [1, 55, 56, 63, 64, 65, 128, 999] {
            var hasher = Checksum()
            var index = 0
            while index < message.count {
                let end = min(message.count, index + split)
                hasher.update(Array(message[index..<end]))
                index = end
            }
            #expect(hasher.finalize() == whole, "split \(split)")
        }
    }

    @Test func xEducationLeadsFile() throws {
        let url = SharedData.xEducationLeads
        try #require(FileManager.default.fileExists(atPath: url.path), "needs ../shared")
        #expect(
            try Checksum.hash(fileAt: url, chunkSize: 4096).hex
                == "1426dffd94246b8c7f08d1080d9c04115a0c4b67eadcba1ed9d2fa10d3762802")
    }
}
