/// Where a model came from: the data it saw and the fit that produced it.
public struct TrainingMetadata: Codable, Sendable, Equatable {
    /// Rows used in the fit.
    public var rows: Int
    /// Closed-won rows among them.
    public var positives: Int
    /// Rows left out (missing rule `drop_row`, time window).
    public var rowsDropped: Int
    /// First creation time used (ISO 8601), when the spec has a time column.
    public var timeFrom: String?
    /// Last creation time used (ISO 8601), when the spec has a time column.
    public var timeTo: String?
    /// The input file's name (not its full path, which is machine-specific).
    public var inputFile: String
    /// Hex SHA-256 of the input file's bytes.
    public var inputSHA256: String
    /// When the model was fitted, ISO 8601 (`2024-06-11T09:30:00Z`).
    public var createdAt: String
    /// The `baton` version that wrote the file.
    public var toolVersion: String
    /// λ of the ridge term (0: maximum likelihood).
    public var penalty: Double
    /// Whether Newton/IRLS met its tolerance; a non-converged model is flagged, not hidden.
    public var converged: Bool
    /// Newton iterations taken.
    public var iterations: Int
    /// How the fit read the data: `in_memory` (the whole design in memory) or `streaming`
    /// (row blocks re-read every Newton pass). Absent in files written before it existed.
    public var fitPath: String?
    /// `firth` for a Firth fit; absent for maximum likelihood (and in files written before it existed).
    public var method: String?

    public init(
        rows: Int, positives: Int, rowsDropped: Int, timeFrom: String? = nil, timeTo: String? = nil,
        inputFile: String, inputSHA256: String, createdAt: String, toolVersion: String,
        penalty: Double, converged: Bool, iterations: Int, fitPath: String? = nil
    ) {
        self.rows = rows
        self.positives = positives
        self.rowsDropped = rowsDropped
        self.timeFrom = timeFrom
        self.timeTo = timeTo
        self.inputFile = inputFile
        self.inputSHA256 = inputSHA256
        self.createdAt = createdAt
        self.toolVersion = toolVersion
        self.penalty = penalty
        self.converged = converged
        self.iterations = iterations
        self.fitPath = fitPath
    }

    enum CodingKeys: String, CodingKey {
        case rows, positives, penalty, converged, iterations
        case rowsDropped = "rows_dropped"
        case timeFrom = "time_from"
        case timeTo = "time_to"
        case inputFile = "input_file"
        case inputSHA256 = "input_sha256"
        case createdAt = "created_at"
        case toolVersion = "tool_version"
        case fitPath = "fit_path"
        case method
    }
}
