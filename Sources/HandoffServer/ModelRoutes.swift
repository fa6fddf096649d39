import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import Hummingbird
import ScoringModelFormat

extension HandoffService {
    func addModelRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.get("/models") { _, context in
            _ = try context.require(.marketing, .sales, .salesManager)
            let models = try await self.store.models()
            let deployments = try await self.store.deployments()
            return JSONResponse.make(ModelList(models: models.map(ModelView.init), deployments: deployments.map(ModelList.Deployment.init)))
        }
        // Upload: the body is the weight file itself. `?sha256=` (optional) must match the
        // checksum computed from the content, as must the file's own `sha256` member.
        router.post("/models") { request, context in
            _ = try context.require(.admin)
            let body = try await request.bodyBytes(limit: self.configuration.maxModelBytes)
            let weights: WeightFile
            do {
                weights = try WeightFile.decode(data: body, file: "upload")
            } catch let error as WeightFileError {
                throw APIError(.unprocessableContent, code: "invalid_weight_file", message: error.description, field: Self.weightFileField(error))
            }
            let sha = try weights.checksum()
            if let expected = request.uri.queryParameters.get("sha256"), expected.lowercased() != sha {
                throw APIError(
                    .unprocessableContent, code: "checksum_mismatch",
                    message:
                        "the file's content has sha256 \(sha), not \(expected) as the sha256 parameter says; the upload was damaged or is another file",
                    field: "sha256")
            }
            do { try await self.runtime.checkCompatible(weights) } catch {
                throw APIError(
                    .unprocessableContent, code: "incompatible_model",
                    message: "the weight file cannot drive this service's playbook: \(error)", field: "(body)")
            }
            let label = request.uri.queryParameters.get("label") ?? weights.training.createdAt
            let outcome = try await self.store.registerModel(try ModelRuntime.upload(weights, bytes: body, label: label, at: self.now()))
            guard let model = try await self.store.model(sha256: sha, includeBytes: false) else {
                throw APIError(.internalServerError, code: "internal", message: "model \(sha) vanished after registration")
            }
            self.logger.info("model \(sha) registered (\(outcome == .alreadyStored ? "already known" : "new"))")
            return JSONResponse.make(ModelView(model), status: outcome == .alreadyStored ? .ok : .created)
        }
        // A model on another points scale changes what the playbook's point thresholds mean
        // (issue 21): refused with 409 points_scale_changed, listing each threshold before and
        // after, unless `?force=true` says the operator has read it (then logged).
        router.post("/models/{sha}/promote") { request, context in
            _ = try context.require(.admin)
            let sha = try context.parameters.require("sha").lowercased()
            let force: Bool
            switch request.uri.queryParameters.get("force") {
            case nil, "false": force = false
            case "true": force = true
            case let other?:
                throw APIError(.badRequest, code: "invalid_parameter", message: "force must be true or false, not `\(other)`", field: "force")
            }
            let change: PointsScaleChange?
            do {
                change = try await self.runtime.scaleChange(promoting: sha)
            } catch StoreError.unknownModel {
                throw APIError.notFound("no weight file with sha256 \(sha) is registered; upload it with POST /models first")
            }
            if let change, !force {
                throw APIError(
                    .conflict, code: "points_scale_changed",
                    message:
                        "\(change). Adjust the playbook's thresholds to the new scale (and restart), or promote with ?force=true to accept the change.",
                    field: "force")
            }
            do {
                try await self.store.promoteModel(sha256: sha, at: self.now())
            } catch StoreError.unknownModel {
                throw APIError.notFound("no weight file with sha256 \(sha) is registered; upload it with POST /models first")
            }
            let version = try await self.runtime.reload()
            if let change { self.logger.warning("model \(version.sha256) promoted with force: \(change)") }
            self.logger.info("model \(version.sha256) promoted to production")
            return JSONResponse.make(ProductionModel(version))
        }
        router.post("/models/rollback") { _, context in
            _ = try context.require(.admin)
            do {
                _ = try await self.store.rollBackModel(at: self.now())
            } catch let StoreError.modelRegistry(reason) {
                throw APIError(.conflict, code: "nothing_to_roll_back", message: "model registry: \(reason)")
            }
            let version = try await self.runtime.reload()
            self.logger.info("rolled back to model \(version.sha256)")
            return JSONResponse.make(ProductionModel(version))
        }
    }

    static func weightFileField(_ error: WeightFileError) -> String {
        switch error {
        case .checksumMismatch, .missingChecksum: "sha256"
        case .wrongFormat, .newerVersion: "format"
        case let .invalidContent(_, key, _): key
        default: "(body)"
        }
    }
}

/// One registered weight file.
struct ModelView: Encodable, Sendable {
    let sha256: String
    let format: String
    let versionLabel: String
    let uploadedAt: String
    @Nullable var promotedAt: String?
    @Nullable var retiredAt: String?
    let inProduction: Bool

    init(_ m: RegisteredModel) {
        sha256 = m.upload.sha256
        format = m.upload.format
        versionLabel = m.upload.versionLabel
        uploadedAt = EventTime.format(m.upload.uploadedAt)
        promotedAt = m.promotedAt.map(EventTime.format)
        retiredAt = m.retiredAt.map(EventTime.format)
        inProduction = m.isInProduction
    }

    enum CodingKeys: String, CodingKey {
        case sha256, format
        case versionLabel = "version_label"
        case uploadedAt = "uploaded_at"
        case promotedAt = "promoted_at"
        case retiredAt = "retired_at"
        case inProduction = "in_production"
    }
}

/// `GET /models`: the registry and its deployment history.
struct ModelList: Encodable, Sendable {
    struct Deployment: Encodable, Sendable {
        let sha256: String
        let kind: String
        let promotedAt: String
        @Nullable var retiredAt: String?

        init(_ d: ModelDeployment) {
            sha256 = d.sha256
            kind = d.kind.rawValue
            promotedAt = EventTime.format(d.promotedAt)
            retiredAt = d.retiredAt.map(EventTime.format)
        }

        enum CodingKeys: String, CodingKey {
            case sha256, kind
            case promotedAt = "promoted_at"
            case retiredAt = "retired_at"
        }
    }

    let models: [ModelView]
    let deployments: [Deployment]
}

/// The model in production after a promotion or a rollback.
struct ProductionModel: Encodable, Sendable {
    struct Version: Encodable, Sendable {
        let sha256: String
        let format: String
    }

    let production: Version

    init(_ version: ModelVersion) { production = Version(sha256: version.sha256, format: version.format) }
}
