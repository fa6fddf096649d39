import ScoringModelFormat

/// The one YAML reader (``YAMLReader``, shared with the scoring spec), throwing playbook errors.
/// Every section of the playbook is read with it, so every message has the file, line and key.
typealias PlaybookReader = YAMLReader<PlaybookError>

extension YAMLReader where Failure == PlaybookError {
    /// A value the playbook refuses at `entry`; `problem` says what is wrong and what to do.
    func invalid(_ entry: YAMLEntry, _ problem: String) -> PlaybookError {
        .invalid(file: file, line: entry.line, key: entry.key, problem: problem)
    }

    /// A required key that is absent from the mapping at `entry`.
    func missing(_ name: String, in entry: YAMLEntry, hint: String) -> PlaybookError {
        .yaml(.missingKey(file: file, line: entry.line, key: entry.key.isEmpty ? name : "\(entry.key).\(name)", hint: hint))
    }

    /// The entry for `name`, unless it is absent or a plain null (`key:` with nothing, `~`).
    func given(_ fields: [String: YAMLEntry], _ name: String) -> YAMLEntry? {
        guard let entry = fields[name], !entry.isNull else { return nil }
        return entry
    }
}
