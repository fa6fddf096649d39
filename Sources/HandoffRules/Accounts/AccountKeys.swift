import Foundation

/// The keys a lead is matched to an account by: its e-mail domain (never a free-mail one), its
/// website's domain, and its normalised company name.
package enum AccountKeys {
    /// Domains of free and consumer mail services: a lead writing from one tells nothing about
    /// its company, so its e-mail domain never matches an account. Compared after lower-casing;
    /// a subdomain of one of these (`eu.mail.com`) is free mail too.
    package static let freeMailDomains: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "rocketmail.com",
        "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "outlook.com", "outlook.de", "live.com", "live.co.uk", "msn.com",
        "aol.com", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me", "gmx.de", "gmx.net", "gmx.com",
        "web.de", "t-online.de", "freenet.de", "mail.com", "mail.ru", "yandex.ru", "yandex.com", "zoho.com", "fastmail.com",
        "hey.com", "tutanota.com", "qq.com", "163.com", "126.com", "sina.com", "naver.com", "orange.fr", "free.fr", "laposte.net",
        "libero.it", "bol.com.br", "uol.com.br", "comcast.net", "verizon.net", "att.net",
    ]

    /// Legal-form words removed from the end of a company name (after punctuation is dropped),
    /// repeatedly: "Acme Holding GmbH & Co. KG" keeps "acme holding".
    package static let legalSuffixes: Set<String> = [
        "inc", "incorporated", "corp", "corporation", "co", "company", "cos", "llc", "llp", "lp", "ltd", "limited", "plc",
        "gmbh", "mbh", "ag", "kg", "kgaa", "ug", "ohg", "ev", "sa", "sas", "sarl", "sasu", "srl", "spa", "sl", "slu", "bv", "nv",
        "vof", "oy", "oyj", "ab", "as", "asa", "aps", "pty", "pte", "kk", "sdn", "bhd", "pvt", "pllc", "pc", "se",
    ]

    /// Lower case, accents folded, `&` read as "and", every other mark a space, legal-form words
    /// dropped from the end and a leading "the" dropped; nil when nothing is left (a name that is
    /// only a legal form, or only punctuation).
    package static func companyName(_ raw: String) -> String? {
        let folded = raw.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .lowercased().replacingOccurrences(of: "&", with: " and ")
        // Dots inside a legal form ("S.A.", "Co.") join its letters before the rest becomes spaces.
        let joined = folded.replacingOccurrences(of: ".", with: "")
        var words = joined.unicodeScalars.split { !CharacterSet.alphanumerics.contains($0) }.map { String(String.UnicodeScalarView($0)) }
        while words.count > 1, let last = words.last, legalSuffixes.contains(last) || last == "and" { words.removeLast() }
        if words.count > 1, words.first == "the" { words.removeFirst() }
        if words.count == 1, legalSuffixes.contains(words[0]) { return nil }
        let name = words.joined(separator: " ")
        return name.isEmpty ? nil : name
    }

    /// The domain of an e-mail address, lower-cased, or nil when it has none or it is free mail.
    package static func emailDomain(_ email: String) -> String? {
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let at = trimmed.lastIndex(of: "@") else { return nil }
        guard let domain = hostName(String(trimmed[trimmed.index(after: at)...])) else { return nil }
        return isFreeMail(domain) ? nil : domain
    }

    /// Whether `domain` (lower case) is a free-mail domain or a subdomain of one.
    package static func isFreeMail(_ domain: String) -> Bool {
        var labels = domain.split(separator: ".")
        while labels.count >= 2 {
            if freeMailDomains.contains(labels.joined(separator: ".")) { return true }
            labels.removeFirst()
        }
        return false
    }

    /// The host of a website (`https://www.Acme.com/about` → `acme.com`), without `www.`, port
    /// or path; nil when it is not a dotted host name.
    package static func websiteDomain(_ website: String) -> String? {
        var text = website.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        text = String(text.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
        if let at = text.lastIndex(of: "@") { text = String(text[text.index(after: at)...]) }
        text = String(text.prefix { $0 != ":" })
        guard var host = hostName(text) else { return nil }
        while host.hasPrefix("www.") && host.split(separator: ".").count > 2 { host.removeFirst(4) }
        return host
    }

    /// A lower-case dotted host name of letters, digits and hyphens (trailing dot dropped), or nil.
    static func hostName(_ text: String) -> String? {
        var host = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, host.utf8.count <= 253,
            labels.allSatisfy({ label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" }
            })
        else { return nil }
        return host
    }
}
