/// Whether `presented` equals `expected`, in time that depends only on `expected`'s length: no
/// early exit on the first difference or on a length mismatch, so a caller comparing a secret,
/// a signature or a token hash reveals nothing of it through timing.
package func constantTimeEqual(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
    var difference = presented.count ^ expected.count
    for index in expected.indices { difference |= Int(expected[index] ^ (index < presented.count ? presented[index] : 0)) }
    return difference == 0
}
