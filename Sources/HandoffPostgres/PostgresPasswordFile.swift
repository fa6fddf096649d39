import Foundation

/// libpq's password file, so a PostgreSQL password need not be written into `--db` (where `ps`
/// shows it) nor into the environment.
///
/// As "The Password File" of the libpq manual (PostgreSQL docs, libpq-pgpass) defines it: the file
/// named by `PGPASSFILE`, else `~/.pgpass`, holds lines `hostname:port:database:username:password`;
/// each of the first four fields is a literal or `*` (matches anything); the first line that
/// matches gives the password; `:` and `\` inside a field are escaped with `\`; lines starting with
/// `#` are comments. A file that group or others may read or write is ignored, as libpq ignores
/// it (`chmod 0600` it).
package enum PostgresPasswordFile {
    /// The file libpq would read: `PGPASSFILE`, else `$HOME/.pgpass`.
    package static func path(environment: [String: String]) -> String? {
        if let file = environment["PGPASSFILE"], !file.isEmpty { return file }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.pgpass"
    }

    /// The password of the first matching line of the file at `path`, or nil (no file, a file
    /// others can read, or no line matches).
    package static func password(host: String, port: Int, database: String, user: String, path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.type] as? FileAttributeType) == .typeRegular,
            let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
            let data = FileManager.default.contents(atPath: path)
        else { return nil }
        return password(host: host, port: port, database: database, user: user, in: String(decoding: data, as: UTF8.self))
    }

    /// The password of the first line of `text` that matches.
    package static func password(host: String, port: Int, database: String, user: String, in text: String) -> String? {
        let wanted = [host, String(port), database, user]
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if line.hasPrefix("#") { continue }
            let fields = split(line)
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits a line on unescaped `:`, undoing `\:` and `\\`. The password field takes the rest
    /// of the line (libpq reads it up to the end, unescaping the same way).
    static func split(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
