import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The file holding the key that signs push alerts' action tokens: 32 random bytes in base64 on
/// one line, mode 0600. Created on first start when missing (exclusively, so two instances
/// starting together on one SQLite store agree on one key); refused when other users may read it.
/// Replacing the file (and restarting) voids every button already sent.
enum ActionKeyFile {
    static let settingKey = "action_key_file"

    static func loadOrCreate(_ file: String) throws(ServiceError) -> SymmetricKey {
        if !FileManager.default.fileExists(atPath: file) {
            let text = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString() + "\n"
            let fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 {
                let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
                let synced = fsync(fd)
                close(fd)
                guard written == text.utf8.count, synced == 0 else {
                    unlink(file)
                    throw .configuration(
                        file: file, key: settingKey, problem: "cannot be written (errno \(errno)); check the folder's space and permissions")
                }
            } else if errno != EEXIST {
                throw .configuration(
                    file: file, key: settingKey, problem: "cannot be created (errno \(errno)); check that its folder exists and is writable")
            }
        }
        let text = try SecretFilePermissions.readPrivate(file, key: settingKey)
        guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count >= 32, bytes.count <= 64 else {
            throw .configuration(
                file: file, key: settingKey,
                problem:
                    "does not hold a key: 32 to 64 random bytes in base64 (openssl rand -base64 32 > FILE; chmod 600 FILE), or remove it to have one made"
            )
        }
        return SymmetricKey(data: bytes)
    }
}
