import BatonSupport
import Testing

/// The one comparison behind token, signature and shared-secret checks.
@Suite struct ConstantTimeTests {
    @Test func equalOnlyForTheSameBytes() {
        #expect(constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!constantTimeEqual(Array("abc".utf8), Array("ab".utf8)))
        #expect(!constantTimeEqual(Array("ab".utf8), Array("abc".utf8)))
        #expect(!constantTimeEqual(Array("abc\0".utf8), Array("abc".utf8)), "a longer text with a zero byte is not equal")
        #expect(!constantTimeEqual([], Array("abc".utf8)))
        #expect(constantTimeEqual([], []))
    }
}
