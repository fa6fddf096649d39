import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import ScoringModelFormat

/// Holds the engine built on the store's production model and swaps it on promotion and roll-back.
///
/// The registry in the store is the source of truth: on start the production model is loaded
/// from its stored bytes. A `--model` file is registered (with its bytes, so it can be rolled
/// back to later) and promoted only when nothing is in production yet.
package actor ModelRuntime {
    package let store: any HandoffStore
    package let playbook: Playbook
    package let knownFields: Set<String>
    private(set) var engine: HandoffEngine

    /// Builds the engine on the production model (after registering `initialModel` if given).
    package init(
        store: any HandoffStore, playbook: Playbook, initialModel: URL?, knownFields: Set<String> = [],
        now: Date = Date()
    ) async throws(ServiceError) {
        self.store = store
        self.playbook = playbook
        self.knownFields = knownFields
        do {
            if let initialModel {
                let data: Data
                do { data = try Data(contentsOf: initialModel) } catch {
                    throw ServiceError.configuration(file: initialModel.path, key: "model", problem: "cannot be read (\(error.localizedDescription))")
                }
                let weights = try Self.decode(data, name: initialModel.lastPathComponent)
                _ = try await store.registerModel(try Self.upload(weights, bytes: data, label: weights.training.createdAt, at: now))
                if try await store.productionModel() == nil {
                    try await store.promoteModel(sha256: try weights.checksum(), at: now)
                }
            }
            guard let production = try await store.productionModel() else { throw ServiceError.noModel }
            engine = try await Self.engine(for: production.upload.sha256, store: store, playbook: playbook, knownFields: knownFields)
            try await engine.prepare(at: now)
        } catch let error as ServiceError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch let error as EngineError {
            throw .engine(error)
        } catch {
            throw .configuration(file: initialModel?.path, key: "model", problem: "\(error)")
        }
    }

    /// The engine scoring with the production model now.
    package func current() -> HandoffEngine { engine }

    /// Rebuilds the engine after the production model changed.
    package func reload() async throws -> ModelVersion {
        guard let production = try await store.productionModel() else { throw ServiceError.noModel }
        engine = try await Self.engine(for: production.upload.sha256, store: store, playbook: playbook, knownFields: knownFields)
        return engine.model
    }

    /// Checks that `weights` can drive the playbook (every field the playbook needs exists).
    package func checkCompatible(_ weights: WeightFile) throws {
        _ = try HandoffEngine(store: store, playbook: playbook, scorer: try LeadScorer(weights: weights), knownFields: knownFields)
    }

    package static func engine(
        for sha256: String, store: any HandoffStore, playbook: Playbook, knownFields: Set<String>
    ) async throws
        -> HandoffEngine
    {
        let weights = try await registered(sha256, store: store)
        return try HandoffEngine(store: store, playbook: playbook, scorer: try LeadScorer(weights: weights), knownFields: knownFields)
    }

    /// The registered weight file with `sha256`, decoded and verified.
    static func registered(_ sha256: String, store: any HandoffStore) async throws -> WeightFile {
        guard let model = try await store.model(sha256: sha256, includeBytes: true) else { throw StoreError.unknownModel(sha256: sha256) }
        if let bytes = model.upload.fileBytes {
            return try decode(bytes, name: "registry \(sha256.prefix(12))")
        } else if let path = model.upload.filePath {
            return try WeightFile.load(from: URL(fileURLWithPath: path))
        } else {
            throw StoreError.modelRegistry(reason: "model \(sha256) has neither stored bytes nor a file path; upload it again with POST /models")
        }
    }

    /// What promoting the registered model `sha256` would change in the meaning of the playbook's
    /// point thresholds; nil when it scores on the production model's scale (or nothing tests points).
    package func scaleChange(promoting sha256: String) async throws -> PointsScaleChange? {
        guard let qualification = playbook.qualification else { return nil }
        let candidate = try await Self.registered(sha256, store: store)
        return PointsScaleChange.between(engine.scorer.weights.points, candidate.points, playbook: qualification)
    }

    /// Decodes and verifies a weight file's bytes (format, version, checksum, consistency).
    static func decode(_ data: Data, name: String) throws -> WeightFile {
        try WeightFile.decode(data: data, file: name)
    }

    static func upload(_ weights: WeightFile, bytes: Data, label: String, at date: Date) throws -> ModelUpload {
        ModelUpload(
            sha256: try weights.checksum(), format: "\(WeightFile.formatTag)/\(WeightFile.formatVersion)",
            versionLabel: label, fileBytes: bytes, uploadedAt: date)
    }
}
