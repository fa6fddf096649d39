import Foundation
import GRDB
import HandoffPersistence

extension SQLiteHandoffStore {
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
        return try await write("registering \(label)") { db in
            if let format = try String.fetchOne(db, sql: "SELECT format FROM models WHERE sha256 = ?", arguments: [upload.sha256]) {
                guard format == upload.format else {
                    throw StoreError.conflictingRecord(
                        record: "weight file", id: upload.sha256,
                        reason: "is registered with format \(format), not \(upload.format)")
                }
                return .alreadyStored
            }
            try db.execute(
                sql: """
                    INSERT INTO models (sha256, format, version_label, file_bytes, file_path, uploaded_at, upload_seq)
                    VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(upload_seq), 0) + 1 FROM models))
                    """,
                arguments: [
                    upload.sha256, upload.format, upload.versionLabel, upload.fileBytes, upload.filePath,
                    upload.uploadedAt.storeMillis,
                ])
            return .stored(rowID: nil)
        }
    }

    package func promoteModel(sha256: String, at date: Date) async throws(StoreError) {
        try await write("promoting weight file '\(sha256)'") { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM models WHERE sha256 = ?", arguments: [sha256]) != nil else {
                throw StoreError.unknownModel(sha256: sha256)
            }
            if let current = try Self.currentDeployment(db) {
                if current.sha256 == sha256 { return }
                try Self.retire(current, at: date, db)
            }
            try db.execute(
                sql: "INSERT INTO model_deployments (sha256, kind, promoted_at) VALUES (?, 'promotion', ?)",
                arguments: [sha256, date.storeMillis])
        }
    }

    package func rollBackModel(at date: Date) async throws(StoreError) -> RegisteredModel {
        let sha = try await write("rolling back the production model") { db -> String in
            guard let current = try Self.currentDeployment(db) else {
                throw StoreError.modelRegistry(reason: "no model is in production, so there is nothing to roll back; promote one first")
            }
            let target = try ModelDeployment.rollbackTarget(history: try Self.allDeployments(db), current: current.sha256)
            try Self.retire(current, at: date, db)
            try db.execute(
                sql: "INSERT INTO model_deployments (sha256, kind, promoted_at) VALUES (?, 'rollback', ?)",
                arguments: [target, date.storeMillis])
            return target
        }
        guard let restored = try await model(sha256: sha, includeBytes: false) else {
            throw .unknownModel(sha256: sha)
        }
        return restored
    }

    package func productionModel() async throws(StoreError) -> RegisteredModel? {
        try await read("reading the production model") { db in
            try Row.fetchOne(db, sql: Self.modelQuery(bytes: false, where: "in_production = 1")).map(Self.decodeModel)
        }
    }

    package func model(sha256: String, includeBytes: Bool) async throws(StoreError) -> RegisteredModel? {
        try await read("reading weight file '\(sha256)'") { db in
            try Row.fetchOne(db, sql: Self.modelQuery(bytes: includeBytes, where: "sha256 = ?"), arguments: [sha256])
                .map(Self.decodeModel)
        }
    }

    package func models() async throws(StoreError) -> [RegisteredModel] {
        try await read("reading the model registry") { db in
            try Row.fetchAll(db, sql: Self.modelQuery(bytes: false, where: "1")).map(Self.decodeModel)
        }
    }

    package func deployments() async throws(StoreError) -> [ModelDeployment] {
        try await read("reading model deployments") { db in try Self.allDeployments(db) }
    }

    // MARK: Helpers

    private static func modelQuery(bytes: Bool, where predicate: String) -> String {
        """
        SELECT * FROM (
            SELECT m.sha256, m.format, m.version_label, m.file_path, m.uploaded_at, m.upload_seq,
                   \(bytes ? "m.file_bytes" : "NULL") AS file_bytes,
                   (SELECT MAX(promoted_at) FROM model_deployments d WHERE d.sha256 = m.sha256) AS promoted_at,
                   (SELECT MAX(retired_at) FROM model_deployments d WHERE d.sha256 = m.sha256) AS retired_at,
                   EXISTS (SELECT 1 FROM model_deployments d WHERE d.sha256 = m.sha256 AND d.retired_at IS NULL) AS in_production
            FROM models m
        ) WHERE \(predicate) ORDER BY upload_seq
        """
    }

    private static func decodeModel(_ row: Row) -> RegisteredModel {
        let inProduction: Bool = row["in_production"]
        let upload = ModelUpload(
            sha256: row["sha256"], format: row["format"], versionLabel: row["version_label"],
            fileBytes: row["file_bytes"], filePath: row["file_path"],
            uploadedAt: Decode.date(row, "uploaded_at"))
        return RegisteredModel(
            upload: upload, promotedAt: Decode.optionalDate(row, "promoted_at"),
            retiredAt: inProduction ? nil : Decode.optionalDate(row, "retired_at"),
            isInProduction: inProduction)
    }

    private static func allDeployments(_ db: Database) throws -> [ModelDeployment] {
        try Row.fetchAll(db, sql: "SELECT id, sha256, kind, promoted_at, retired_at FROM model_deployments ORDER BY id").map { row in
            ModelDeployment(
                rowID: row["id"], sha256: row["sha256"],
                kind: try Decode.enumValue(row, "kind", table: "model_deployments"),
                promotedAt: Decode.date(row, "promoted_at"), retiredAt: Decode.optionalDate(row, "retired_at"))
        }
    }

    private static func currentDeployment(_ db: Database) throws -> ModelDeployment? {
        try allDeployments(db).last { $0.retiredAt == nil }
    }

    private static func retire(_ deployment: ModelDeployment, at date: Date, _ db: Database) throws {
        guard date >= deployment.promotedAt else {
            throw StoreError.modelRegistry(
                reason: "the change is dated before the current model's promotion (\(deployment.promotedAt)); use the current time")
        }
        try db.execute(sql: "UPDATE model_deployments SET retired_at = ? WHERE id = ?", arguments: [date.storeMillis, deployment.rowID])
    }
}
