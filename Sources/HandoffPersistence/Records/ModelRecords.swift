import Foundation

/// A weight file handed to the model registry.
package struct ModelUpload: Sendable, Hashable {
    /// Lower-case hex sha256 of the file's bytes; the caller verifies it (`WeightFile.sha256`).
    package var sha256: String
    /// Format tag, e.g. "baton.weights/1".
    package var format: String
    /// Human label, e.g. "2025-Q3 recalibration".
    package var versionLabel: String
    /// The file's bytes, when the registry should keep a copy.
    package var fileBytes: Data?
    /// Where the file lives, when the registry only records a path.
    package var filePath: String?
    /// When it was uploaded.
    package var uploadedAt: Date

    package init(
        sha256: String, format: String, versionLabel: String, fileBytes: Data? = nil, filePath: String? = nil,
        uploadedAt: Date
    ) {
        self.sha256 = sha256
        self.format = format
        self.versionLabel = versionLabel
        self.fileBytes = fileBytes
        self.filePath = filePath
        self.uploadedAt = uploadedAt
    }

    /// The version scores record.
    package var version: ModelVersion { ModelVersion(sha256: sha256, format: format) }
}

/// A registered model and its deployment state.
///
/// At most one model is in production at any time (a partial unique index enforces it), and
/// after the first promotion exactly one is: promotion and roll-back retire the current model
/// and deploy the next in one transaction.
package struct RegisteredModel: Sendable, Hashable {
    /// Upload data (bytes included only by ``HandoffStore/model(sha256:includeBytes:)`` with `includeBytes`).
    package var upload: ModelUpload
    /// When it last went into production; nil if never.
    package var promotedAt: Date?
    /// When it last left production; nil if never deployed or in production now.
    package var retiredAt: Date?
    /// True while it is the production model.
    package var isInProduction: Bool

    package init(upload: ModelUpload, promotedAt: Date?, retiredAt: Date?, isInProduction: Bool) {
        self.upload = upload
        self.promotedAt = promotedAt
        self.retiredAt = retiredAt
        self.isInProduction = isInProduction
    }
}

/// One period a model spent in production.
package struct ModelDeployment: Sendable, Hashable, Codable {
    /// How the model went into production.
    package enum Kind: String, Sendable, Hashable, Codable {
        case promotion
        case rollback
    }

    /// Row id; increasing in deployment order.
    package var rowID: Int64
    /// Weight file sha256.
    package var sha256: String
    /// Promotion or roll-back.
    package var kind: Kind
    /// Start of the period.
    package var promotedAt: Date
    /// End of the period; nil for the production model.
    package var retiredAt: Date?

    package init(rowID: Int64, sha256: String, kind: Kind, promotedAt: Date, retiredAt: Date?) {
        self.rowID = rowID
        self.sha256 = sha256
        self.kind = kind
        self.promotedAt = promotedAt
        self.retiredAt = retiredAt
    }
}

extension ModelDeployment {
    /// The weight file a roll-back restores, from the deployment history in row order: promotions
    /// push onto a stack and roll-backs pop it, so the model under the top is the one to restore.
    /// Both backends roll back with this one rule.
    ///
    /// - Throws: ``StoreError/modelRegistry(reason:)`` when `current` (the model in production) is
    ///   the only one left in the history.
    package static func rollbackTarget(history: [ModelDeployment], current: String) throws(StoreError) -> String {
        var stack: [String] = []
        for deployment in history {
            switch deployment.kind {
            case .promotion: stack.append(deployment.sha256)
            case .rollback:
                if !stack.isEmpty { stack.removeLast() }
                if stack.last != deployment.sha256 { stack.append(deployment.sha256) }
            }
        }
        guard stack.count >= 2 else {
            throw StoreError.modelRegistry(
                reason: "weight file \(current) is the only model left in the promotion history; there is no earlier model to roll back to")
        }
        return stack[stack.count - 2]
    }
}
