import Foundation
import HandoffPersistence

extension PostgresHandoffStore {
    package func registerModel(_ upload: ModelUpload) async throws(StoreError) -> WriteOutcome {
        let label = "weight file '\(upload.sha256)'"
        guard upload.sha256.count == 64, upload.sha256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw .invalidField(record: label, field: "sha256", reason: "is not 64 lower-case hex digits")
        }
        guard !upload.format.isEmpty else { throw .invalidField(record: label, field: "format", reason: "is empty") }
        guard !upload.versionLabel.isEmpty else { throw .invalidField(record: label, field: "versionLabel", reason: "is empty") }
        guard upload.fileBytes != nil || upload.filePath != nil else {
            throw .invalidField(record: label, field: "fileBytes", reason: "and filePath are both missing; the registry keeps one of them")
        }
        return try await transaction("registering \(label)") { sql in
            // upload_seq is a sequence, so two instances registering at once get distinct numbers.
            if try await sql.row(
                """
                INSERT INTO models (sha256, format, version_label, file_bytes, file_path, uploaded_at)
                VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING RETURNING upload_seq
                """,
                [
                    .text(upload.sha256), .text(upload.format), .text(upload.versionLabel), .bytes(upload.fileBytes),
                    .text(upload.filePath), .date(upload.uploadedAt),
                ]) != nil
            {
                return .stored(rowID: nil)
            }
            let format = try await sql.row("SELECT format FROM models WHERE sha256 = $1", [.text(upload.sha256)])?.text("format")
            guard format == upload.format else {
                throw StoreError.conflictingRecord(
                    record: "weight file", id: upload.sha256,
                    reason: "is registered with format \(format ?? "?"), not \(upload.format)")
            }
            return .alreadyStored
        }
    }

    package func promoteModel(sha256: String, at date: Date) async throws(StoreError) {
        try await transaction("promoting weight file '\(sha256)'") { sql in
            try await Self.lockDeployments(sql)
            guard try await sql.exists("SELECT 1 FROM models WHERE sha256 = $1", [.text(sha256)]) else {
                throw StoreError.unknownModel(sha256: sha256)
            }
            if let current = try await Self.allDeployments(sql).last(where: { $0.retiredAt == nil }) {
                if current.sha256 == sha256 { return }
                try await Self.retire(current, at: date, sql)
            }
            try await sql.execute(
                "INSERT INTO model_deployments (sha256, kind, promoted_at) VALUES ($1, 'promotion', $2)",
                [.text(sha256), .date(date)])
        }
    }

    package func rollBackModel(at date: Date) async throws(StoreError) -> RegisteredModel {
        let sha = try await transaction("rolling back the production model") { sql -> String in
            try await Self.lockDeployments(sql)
            let history = try await Self.allDeployments(sql)
            guard let current = history.last(where: { $0.retiredAt == nil }) else {
                throw StoreError.modelRegistry(reason: "no model is in production, so there is nothing to roll back; promote one first")
            }
            let target = try ModelDeployment.rollbackTarget(history: history, current: current.sha256)
            try await Self.retire(current, at: date, sql)
            try await sql.execute(
                "INSERT INTO model_deployments (sha256, kind, promoted_at) VALUES ($1, 'rollback', $2)",
                [.text(target), .date(date)])
            return target
        }
        guard let restored = try await model(sha256: sha, includeBytes: false) else {
            throw .unknownModel(sha256: sha)
        }
        return restored
    }

    package func productionModel() async throws(StoreError) -> RegisteredModel? {
        try await read("reading the production model") { sql in
            try await sql.row(Self.modelQuery(bytes: false, where: "in_production")).map(Self.decodeModel)
        }
    }

    package func model(sha256: String, includeBytes: Bool) async throws(StoreError) -> RegisteredModel? {
        try await read("reading weight file '\(sha256)'") { sql in
            try await sql.row(Self.modelQuery(bytes: includeBytes, where: "sha256 = $1"), [.text(sha256)]).map(Self.decodeModel)
        }
    }

    package func models() async throws(StoreError) -> [RegisteredModel] {
        try await read("reading the model registry") { sql in
            try await sql.rows(Self.modelQuery(bytes: false, where: "true")).map(Self.decodeModel)
        }
    }

    package func deployments() async throws(StoreError) -> [ModelDeployment] {
        try await read("reading model deployments") { sql in try await Self.allDeployments(sql) }
    }

    // MARK: Helpers

    /// Registry transitions read the history and then write; two instances doing that at once
    /// would both retire the same model. This lock makes them take turns (plain reads and
    /// score writes are not blocked: SHARE ROW EXCLUSIVE conflicts only with other writers).
    private static func lockDeployments(_ sql: SQL) async throws {
        try await sql.execute("LOCK TABLE model_deployments IN SHARE ROW EXCLUSIVE MODE")
    }

    private static func modelQuery(bytes: Bool, where predicate: String) -> String {
        """
        SELECT * FROM (
            SELECT m.sha256, m.format, m.version_label, m.file_path, m.uploaded_at, m.upload_seq,
                   \(bytes ? "m.file_bytes" : "NULL::bytea") AS file_bytes,
                   (SELECT MAX(promoted_at) FROM model_deployments d WHERE d.sha256 = m.sha256) AS promoted_at,
                   (SELECT MAX(retired_at) FROM model_deployments d WHERE d.sha256 = m.sha256) AS retired_at,
                   EXISTS (SELECT 1 FROM model_deployments d WHERE d.sha256 = m.sha256 AND d.retired_at IS NULL) AS in_production
            FROM models m
        ) AS registry WHERE \(predicate) ORDER BY upload_seq
        """
    }

    private static func decodeModel(_ row: Cells) throws -> RegisteredModel {
        let inProduction = try row.bool("in_production")
        let upload = ModelUpload(
            sha256: try row.text("sha256"), format: try row.text("format"), versionLabel: try row.text("version_label"),
            fileBytes: try row.bytes("file_bytes"), filePath: try row.optionalText("file_path"),
            uploadedAt: try row.date("uploaded_at"))
        return RegisteredModel(
            upload: upload, promotedAt: try row.optionalDate("promoted_at"),
            retiredAt: inProduction ? nil : try row.optionalDate("retired_at"),
            isInProduction: inProduction)
    }

    private static func allDeployments(_ sql: SQL) async throws -> [ModelDeployment] {
        try await sql.rows("SELECT id, sha256, kind, promoted_at, retired_at FROM model_deployments ORDER BY id").map { row in
            ModelDeployment(
                rowID: try row.int64("id"), sha256: try row.text("sha256"),
                kind: try row.enumValue("kind", table: "model_deployments"),
                promotedAt: try row.date("promoted_at"), retiredAt: try row.optionalDate("retired_at"))
        }
    }

    private static func retire(_ deployment: ModelDeployment, at date: Date, _ sql: SQL) async throws {
        guard date >= deployment.promotedAt else {
            throw StoreError.modelRegistry(
                reason: "the change is dated before the current model's promotion (\(deployment.promotedAt)); use the current time")
        }
        try await sql.execute("UPDATE model_deployments SET retired_at = $1 WHERE id = $2", [.date(date), .int(deployment.rowID)])
    }
}
