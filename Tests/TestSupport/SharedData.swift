import Foundation

/// Locates the read-only `../shared/` folder (real data sets and reference values) and
/// makes the seeded synthetic reference files on demand. Real data is never copied into
/// the project: tests read it where it lies.
public enum SharedData {
    /// The project's root folder (the one that holds `Package.swift`).
    public static let projectRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared` next to the project root, or `$BATON_SHARED` when set.
    public static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["BATON_SHARED"] {
            return URL(fileURLWithPath: override)
        }
        return projectRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static var xEducationLeads: URL { url("datasets/x_education_leads/Leads.csv") }
    public static var xEducationReference: URL { url("reference/x_education_fit.json") }
    public static var olistLeads: URL { url("datasets/olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv") }
    public static var olistDeals: URL { url("datasets/olist_marketing_funnel/olist_closed_deals_dataset.csv") }

    /// The spec that reproduces the recipe of `reference/x_education_fit.json` (its `feature_spec`:
    /// complete cases on the numerics, `google` → `Google`, levels under 100 rows → `Other`).
    public static let xEducationSpec = """
        outcome: {column: Converted, positive: ["1"]}
        id: Prospect ID
        features:
          - {column: TotalVisits, type: numeric, missing: drop_row}
          - {column: Total Time Spent on Website, type: numeric, missing: drop_row}
          - {column: Page Views Per Visit, type: numeric, missing: drop_row}
          - {column: Lead Origin, type: categorical, min_count: 100}
          - {column: Lead Source, type: categorical, min_count: 100, recode: {google: Google}}
          - {column: Last Activity, type: categorical, min_count: 100, group: engagement}
        penalty: 0
        """

    /// Reads and decodes a JSON reference file into a dictionary.
    public static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url(relative))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SharedDataError("\(relative) is not a JSON object")
        }
        return object
    }

    /// The synthetic reference CSV with `rows` rows (10 000 or 100 000), written by
    /// `../shared/reference/synthetic/gen_leads.py` (numpy) into a cache folder under
    /// the system's temporary directory on first use, and checked against the byte count
    /// recorded in the reference JSON.
    public static func syntheticReferenceCSV(rows: Int) throws -> URL {
        let label = rows % 1000 == 0 ? "\(rows / 1000)k" : "\(rows)"
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("baton-shared-cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let out = cache.appendingPathComponent("leads_\(label).csv")
        let reference = try json("reference/synthetic/reference_\(label).json")
        let expectedBytes = ((reference["dataset"] as? [String: Any])?["bytes"] as? Int) ?? -1
        if let size = try? FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int,
            size == expectedBytes
        {
            return out
        }
        // Tests in one process may ask for the same file at once: each writes its own partial
        // file and renames it into place (an atomic replace; the contents are the same).
        let partial = cache.appendingPathComponent("leads_\(label).csv.partial-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", url("reference/synthetic/gen_leads.py").path, "--n", "\(rows)", "--out", partial.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SharedDataError("gen_leads.py failed (exit \(process.terminationStatus)); it needs python3 with numpy (pip install numpy)")
        }
        let size = (try FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? Int) ?? -1
        guard size == expectedBytes else {
            throw SharedDataError("gen_leads.py wrote \(size) bytes, the reference says \(expectedBytes)")
        }
        guard rename(partial.path, out.path) == 0 else {
            throw SharedDataError("cannot rename \(partial.path) to \(out.path): \(String(cString: strerror(errno)))")
        }
        return out
    }
}

public struct SharedDataError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
