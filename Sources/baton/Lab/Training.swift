import ArgumentParser
import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import ScoringModelFormat

/// `baton training`: training data from the hand-off store's own records.
struct Training: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training",
        abstract: "Training data from the hand-off store: each lead as it was scored for hand-off, with its won/lost outcome.",
        subcommands: [TrainingExportCommand.self])
}

struct TrainingExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the store's leads as a training CSV, each as of the moment it was scored for hand-off.",
        discussion: """
            One row per lead created before --as-of (00:00 UTC): lead_id, created_at, scored_at (the moment), \
            handed_off, the score then (score_model, score_points, score_probability), outcome (won / lost / open, \
            from outcomes closed before --as-of), won (1 / 0, empty while open), closed_at, then every feature of \
            the spec with the value the scorer saw at that moment. The moment is the score that handed the lead \
            off (for a lead never handed off: its latest score before --as-of and before any opportunity); the \
            row holds the fields and engagement events stored up to that score, nothing later. Leads still open \
            past the outcome window are counted and reported, never written as lost. The features come from \
            --spec, else from the store's production model.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The date of the export, YYYY-MM-DD (UTC): rows and outcomes stored before its start count.") var asOf: String
    @Option(help: "Training CSV to write.") var out: String
    @Option(help: "Also write the spec a fit of the CSV needs (its features, id lead_id, time created_at, outcome won).") var specOut: String?
    @Option(help: "Spec (YAML) whose features to export (default: the spec of the store's production model).") var spec: String?
    @Option(help: "Days after creation by which an outcome is final.") var outcomeWindowDays = 90

    func validate() throws {
        guard LeadTime.day(asOf) != nil else { throw ValidationError("--as-of must be a date YYYY-MM-DD (got \(asOf))") }
        guard outcomeWindowDays >= 0 else { throw ValidationError("--outcome-window-days must be ≥ 0 (got \(outcomeWindowDays))") }
    }

    func run() async throws {
        store.requireExisting("--db \(store.db) does not exist: name the store `baton handoff replay` or `baton serve` filled")
        let given = spec.map { path in (spec: StoreTraining.loadSpec(path), file: path) }
        let export = await store.withStore { handoff in
            await StoreTraining.export(
                from: handoff, asOfDay: LeadTime.day(asOf) ?? 0, spec: given, outcomeWindowDays: outcomeWindowDays)
        }
        StoreTraining.write(export.data.csv(), to: out)
        if let specOut { StoreTraining.writeSpec(export.data.spec(from: export.spec), to: specOut) }
        print(StoreTraining.summary(export.data, out: out))
    }
}

/// The export both `baton training export` and `baton recalibrate --db` run.
enum StoreTraining {
    /// Reads a spec, ending with its error (exit 65; 64 for a missing file).
    static func loadSpec(_ path: String) -> ScoringSpec {
        guard FileManager.default.isReadableFile(atPath: path) else { fail("spec file \(path) not found; check the path", .usage) }
        do { return try ScoringSpec.load(url: URL(fileURLWithPath: path)) } catch { fail(error.description, .dataError) }
    }

    /// The store's rows as of `asOfDay` for `spec` (default: the production model's), or the
    /// process ends with the error and its exit status.
    static func export(
        from store: any HandoffStore, asOfDay: Int, spec: (spec: ScoringSpec, file: String)?, outcomeWindowDays: Int
    ) async -> (data: TrainingExport, spec: ScoringSpec) {
        let asOf = Date(timeIntervalSince1970: Double(asOfDay) * 86_400)
        do {
            var chosen = spec
            if chosen == nil {
                guard let production = try await store.productionModel(),
                    let registered = try await store.model(sha256: production.upload.sha256, includeBytes: true),
                    let bytes = registered.upload.fileBytes
                else {
                    fail("the store has no production model whose file it keeps, so the features are unknown: pass --spec FILE", .usage)
                }
                let file = "production model \(production.upload.sha256.prefix(12))"
                do { chosen = (try WeightFile.decode(data: bytes, file: file).spec, file) } catch {
                    fail("\(file): \(error); pass --spec FILE", .dataError)
                }
            }
            guard let chosen else { fail("no spec", .usage) }
            let histories = try await store.leadHistories(createdBefore: asOf)
            let first = histories.isEmpty ? try await store.leadList(LeadListQuery(limit: 1)).entries.first?.lead.createdAt : nil
            do {
                let data = try TrainingExport.build(
                    histories: histories, asOf: asOf, features: chosen.spec.features, outcomeWindowDays: outcomeWindowDays,
                    firstLead: first, specFile: chosen.file)
                return (data, chosen.spec)
            } catch {
                fail(error)
            }
        } catch {
            fail(error)
        }
    }

    static func write(_ text: String, to path: String) {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            fail("cannot write \(path): \(error.localizedDescription); check that the folder exists and is writable", .cannotCreate)
        }
    }

    /// The spec as YAML (JSON is YAML), so `baton fit --spec` reads it back unchanged: the
    /// Codable form with every key left at its default dropped (the reader refuses, for example,
    /// `transform` on a categorical feature even when it says `none`).
    static func writeSpec(_ spec: ScoringSpec, to path: String) {
        guard let text = specYAML(spec) else { fail("cannot encode the spec", .failure) }
        write(text, to: path)
    }

    static func specYAML(_ spec: ScoringSpec) -> String? {
        guard let data = try? JSONEncoder().encode(spec), var root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        let defaults: [String: Any] = ["transform": "none", "missing": "error", "min_count": 0]
        root["features"] = (root["features"] as? [[String: Any]])?.map { feature in
            feature.filter { key, value in
                if value is NSNull { return false }
                if let map = value as? [String: Any], map.isEmpty { return false }
                if let fallback = defaults[key] { return "\(fallback)" != "\(value)" }
                return true
            }
        }
        root = root.filter { !($0.value is NSNull) }
        guard let json = try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return "# Spec for a training CSV written by `baton training export` (YAML: JSON is YAML).\n" + String(decoding: json, as: UTF8.self) + "\n"
    }

    /// What the export found, in plain words.
    static func summary(_ data: TrainingExport, out: String) -> String {
        """
        wrote \(data.rows.count) leads to \(out) (\(data.columns.count) features): \(data.handedOff) handed off; won \(data.won), lost \(data.lost), \
        open \(data.openPastWindow + data.openMaturing) (\(data.openPastWindow) past the \(data.outcomeWindowDays)-day outcome window: no outcome recorded, \
        not counted as lost; \(data.openMaturing) still maturing)
        """
    }
}

extension TrainingExportError: CommandError {
    /// An as-of before the first lead is a flag to change (64); a spec the leads do not fit is bad data (65).
    var exitStatus: ExitStatus {
        if case .asOfBeforeFirstLead = self { return .usage }
        return .dataError
    }
}
