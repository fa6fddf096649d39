import Foundation

/// The one check for files that hold secrets the service reads at start (the TLS key, the
/// webhook signing secret): refused when every user of the machine can read them.
enum SecretFilePermissions {
    /// - Throws: ``ServiceError/configuration(file:key:problem:)`` naming `file`, its setting
    ///   `key` and the fix, when the file's mode grants any permission to other users.
    static func requirePrivate(_ file: String, key: String) throws(ServiceError) {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? Int, mode & 0o007 != 0 else { return }
        throw .configuration(
            file: file, key: key, problem: "can be read by every user of this machine (mode \(String(mode & 0o777, radix: 8))); run chmod 600 on it")
    }

    /// The text of a secret file, after ``requirePrivate(_:key:)``.
    /// - Throws: ``ServiceError/configuration(file:key:problem:)`` for a file others can read, or one that cannot be read.
    static func readPrivate(_ file: String, key: String) throws(ServiceError) -> String {
        try requirePrivate(file, key: key)
        do { return try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw .configuration(file: file, key: key, problem: "cannot be read (\(error.localizedDescription))")
        }
    }
}
