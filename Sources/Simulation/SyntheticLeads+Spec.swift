extension SyntheticLeads {
    /// The scoring spec that matches the generated file and the true model's encoding: outcome
    /// `won` (positive `"1"`), id `lead_id`, time `created_at`, every categorical column in the
    /// `fit` group (byte-order baseline, no merging), every count `log1p` in the `engagement` group,
    /// no penalty, default points scaling.
    package static var specYAML: String {
        var lines = [
            "# Spec for files written by `baton generate` (SyntheticLeads): the encoding under which",
            "# the true model is exactly logistic, so a fit recovers the truth's coefficients.",
            "outcome: {column: won, positive: [\"1\"]}",
            "id: lead_id",
            "time: created_at",
            "features:",
        ]
        for categorical in categoricals {
            lines.append("  - {column: \(categorical.column), type: categorical, group: fit}")
        }
        for count in counts {
            lines.append("  - {column: \(count.column), type: numeric, transform: log1p, group: engagement}")
        }
        lines.append("penalty: 0")
        lines.append("points: {base_points: 600, base_odds: 50, pdo: 20}")
        return lines.joined(separator: "\n") + "\n"
    }
}
