import ScoringModelFormat

/// The one YAML reader (``YAMLReader``, shared with the scoring spec), throwing playbook errors.
/// Every section of the playbook is read with it, so every message has the file, line and key.
typealias PlaybookReader = YAMLReader<PlaybookError>

extension YAMLReader where Failure == PlaybookError {
    /// A value the playbook refuses at `entry`; `problem` says what is wrong and what to do.
    func invalid(_ entry: YAMLEntry, _ problem: String) -> PlaybookError {
        .invalid(file: file, line: entry.line, key: entry.key, problem: problem)
    }

}
