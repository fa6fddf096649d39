/// One reason behind a score, in plain words: a feature whose value adds or costs many points.
///
/// How a feature's impact is measured (points, signed):
/// - categorical, lead not at the feature's best level: `points(actual) − points(best level)` (< 0),
///   "Budget authority 'no' costs 34 points against 'yes'";
/// - categorical, lead at the best level: `points(actual) − points(worst level)` (≥ 0),
///   "Company size '1000+' adds 40 points against '1-10'";
/// - numeric: the points of its terms against a value of 0 (no activity), i.e.
///   `points_per_unit · transform(x)` plus the missing indicator's points when the value is missing,
///   "3 demo requests add 41 points". A decayed count is shown with two decimals and "(decayed)".
///
/// - categorical value never seen in training, feature without `Other`: impact of the baseline it
///   is scored as, "Industry 'Mining' not seen in training: scored as baseline 'Software' (costs
///   12 points against 'Retail')".
///
/// The top reasons are the features with the largest `|impact|` (ties: spec order), impact 0 left
/// out. Points in the text are rounded to whole points.
public struct ReasonCode: Sendable, Codable, Equatable {
    /// The feature column.
    public var column: String
    /// The lead's value: the model level, or the number as shown in the text (`"missing"` if empty).
    /// A categorical value the model never saw, scored as the baseline (no `Other` level), is given
    /// as the lead has it (recoded, trimmed), and the text says it was scored as the baseline.
    public var value: String
    /// The level or value compared against: the best (or worst) level, or `"0"` for numeric features.
    public var comparedWith: String
    /// Signed impact in points (see the type's discussion).
    public var points: Double
    /// The sentence shown to a rep.
    public var text: String

    public init(column: String, value: String, comparedWith: String, points: Double, text: String) {
        self.column = column
        self.value = value
        self.comparedWith = comparedWith
        self.points = points
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case column, value, points, text
        case comparedWith = "compared_with"
    }
}
