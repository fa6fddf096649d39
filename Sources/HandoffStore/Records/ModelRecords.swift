import Foundation

/// A weight file handed to the model registry.
public struct ModelUpload: Sendable, Hashable {
    /// Lower-case hex sha256 of the file's bytes; the caller verifies it (`WeightFile.sha256`).
    public var sha256: String
    /// Format tag, e.g. "baton.weights/1".
    public var format: String
    /// Human label, e.g. "2025-Q3 recalibration".
    public var versionLabel: String
    /// The file's bytes, when the registry should keep a copy.
    public var fileBytes: Data?
    /// Where the file lives, when the registry only records a path.
    public var filePath: String?
    /// When it was uploaded.
    public var uploadedAt: Date

    public init(sha256: String, format: String, versionLabel: String, fileBytes: Data? = nil, filePath: String? = nil,
                uploadedAt: Date) {
        self.sha256 = sha256
        self.format = format
        self.versionLabel = versionLabel
        self.fileBytes = fileBytes
        self.filePath = filePath
        self.uploadedAt = uploadedAt
    }

    /// The version scores record.
    public var version: ModelVersion { ModelVersion(sha256: sha256, format: format) }
}

/// A registered model and its deployment state.
///
/// At most one model is in production at any time (a partial unique index enforces it), and
/// after the first promotion exactly one is: promotion and roll-back retire the current model
/// and deploy the next in one transaction.
public struct RegisteredModel: Sendable, Hashable {
    /// Upload data (bytes included only by ``HandoffStore/model(sha256:includeBytes:)`` with `includeBytes`).
    public var upload: ModelUpload
    /// When it last went into production; nil if never.
    public var promotedAt: Date?
    /// When it last left production; nil if never deployed or in production now.
    public var retiredAt: Date?
    /// True while it is the production model.
    public var isInProduction: Bool

    public init(upload: ModelUpload, promotedAt: Date?, retiredAt: Date?, isInProduction: Bool) {
        self.upload = upload
        self.promotedAt = promotedAt
        self.retiredAt = retiredAt
        self.isInProduction = isInProduction
    }
}

/// One period a model spent in production.
public struct ModelDeployment: Sendable, Hashable, Codable {
    /// How the model went into production.
    public enum Kind: String, Sendable, Hashable, Codable {
        case promotion
        case rollback
    }

    /// Row id; increasing in deployment order.
    public var rowID: Int64
    /// Weight file sha256.
    public var sha256: String
    /// Promotion or roll-back.
    public var kind: Kind
    /// Start of the period.
    public var promotedAt: Date
    /// End of the period; nil for the production model.
    public var retiredAt: Date?

    public init(rowID: Int64, sha256: String, kind: Kind, promotedAt: Date, retiredAt: Date?) {
        self.rowID = rowID
        self.sha256 = sha256
        self.kind = kind
        self.promotedAt = promotedAt
        self.retiredAt = retiredAt
    }
}
