import BatonSupport
import Foundation
import Testing

/// `trimmingSpacesAndTabs()` returns what Foundation's `trimmingCharacters(in:)` with " \t"
/// returns, on hand-picked edges and on seeded random text of spaces, tabs, line breaks, letters,
/// combining marks and emoji.
@Suite struct SpacesAndTabsTests {
    static let reference = CharacterSet(charactersIn: " \t")

    @Test(arguments: ["", " ", "\t \t", " a ", "\ta b\t", "\n a \n", " \u{301}x ", "x \u{301}", " 🇩🇪 ", "é\t", "\t\r\n"])
    func edges(_ text: String) {
        #expect(text.trimmingSpacesAndTabs() == text.trimmingCharacters(in: Self.reference), "\(text.debugDescription)")
    }

    @Test func seededRandomTextAgreesWithFoundation() {
        // A local xorshift, so the module needs no test support target.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let pieces = [" ", "\t", "\n", "\r\n", "a", "Z", "7", "é", "\u{301}", "🙂", "\u{A0}", "-", "_"]
        for _ in 0..<5000 {
            let text = (0..<next(9)).map { _ in pieces[next(pieces.count)] }.joined()
            #expect(text.trimmingSpacesAndTabs() == text.trimmingCharacters(in: Self.reference), "\(text.debugDescription)")
            let sub = Substring(text)
            #expect(sub.trimmingSpacesAndTabs() == text.trimmingCharacters(in: Self.reference))
        }
    }
}
