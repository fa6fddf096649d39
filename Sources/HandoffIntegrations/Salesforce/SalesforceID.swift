/// Salesforce record ids: 15 characters, case-sensitive, or the same 15 plus a 3-character
/// suffix that encodes the case of the first 15 (so the 18-character form survives
/// case-insensitive systems). Salesforce documents the suffix in "Working with Record IDs":
/// each group of 5 characters gives a 5-bit number (bit i set when character i is an upper-case
/// letter), written as one character of `ABCDEFGHIJKLMNOPQRSTUVWXYZ012345`.
package enum SalesforceID {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")

    /// The 18-character form of a 15- or 18-character id; nil when `id` is not one (length,
    /// characters other than A–Z, a–z, 0–9, or an 18-character id whose suffix does not match).
    package static func canonical(_ id: String) -> String? {
        let characters = Array(id)
        guard characters.count == 15 || characters.count == 18,
            characters.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        let base = characters.prefix(15)
        var suffix = ""
        for group in 0..<3 {
            var bits = 0
            for offset in 0..<5 where base[group * 5 + offset].isUppercase { bits |= 1 << offset }
            suffix.append(alphabet[bits])
        }
        if characters.count == 18 {
            // The suffix is case-insensitive by design.
            guard String(characters.suffix(3)).uppercased() == suffix else { return nil }
        }
        return String(base) + suffix
    }
}
