import BatonSupport

/// How long the generated history runs and whether the market drifts part-way through it.
///
/// The defaults (eight quarters from 2023-01-01, no drift) are what `baton generate` has always
/// written: with them the bytes are unchanged for every `(rows, seed)`.
package struct SyntheticOptions: Sendable, Equatable {
    /// Calendar quarters the creation times span, from 2023-01-01 (8 = 2023-01-01 … 2024-12-31).
    package var quarters: Int
    /// Days since 1970-01-01 (UTC) from which the market has drifted (see ``SyntheticDrift``); nil = no drift.
    package var driftStartDay: Int?

    /// - Precondition: `quarters ≥ 1`.
    package init(quarters: Int = 8, driftStartDay: Int? = nil) {
        precondition(quarters >= 1, "SyntheticOptions: quarters \(quarters) must be ≥ 1")
        self.quarters = quarters
        self.driftStartDay = driftStartDay
    }

    /// Seconds from 2023-01-01T00:00:00Z to the end of the last quarter.
    var windowSeconds: Int { (SyntheticLeads.dayOfQuarterStart(quarters) - SyntheticLeads.windowStartDay) * 86_400 }
}

/// The drift scenario: what changes in the market from ``SyntheticOptions/driftStartDay`` on.
///
/// A fixed, documented story so that a walkthrough can say what a recalibration should find:
/// - **Mix**: content syndication triples (weight 0.08 → 0.24) and social grows (0.12 → 0.18) at the
///   expense of organic search (0.22 → 0.12) and referral (0.08 → 0.04); small companies (1-10) grow
///   from 0.22 to 0.32 of leads.
/// - **Effects**: content-syndication leads stop converting like the rest (effect −0.40 → −1.20),
///   webinars stop signalling intent (log1p coefficient 0.25 → 0.00), pricing-page views signal
///   more (0.35 → 0.70), and C-level contacts convert better (0.40 → 0.90).
package enum SyntheticDrift {
    /// The ten fit columns after the drift.
    package static var categoricals: [SyntheticLeads.Categorical] {
        SyntheticLeads.categoricals.map { categorical in
            let levels = categorical.levels.map { level -> (name: String, weight: Double, effect: Double) in
                switch (categorical.column, level.name) {
                case ("lead_source", "content_syndication"): return (level.name, 0.24, -1.20)
                case ("lead_source", "social"): return (level.name, 0.18, level.effect)
                case ("lead_source", "organic_search"): return (level.name, 0.12, level.effect)
                case ("lead_source", "referral"): return (level.name, 0.04, level.effect)
                case ("company_size", "1-10"): return (level.name, 0.32, level.effect)
                case ("job_seniority", "c_level"): return (level.name, level.weight, 0.90)
                default: return level
                }
            }
            return SyntheticLeads.Categorical(column: categorical.column, levels: levels)
        }
    }

    /// The fifteen counts after the drift (only coefficients change).
    package static var counts: [SyntheticLeads.Count] {
        SyntheticLeads.counts.map { count in
            let coefficient: Double
            switch count.column {
            case "webinars_attended": coefficient = 0.00
            case "pricing_page_views": coefficient = 0.70
            default: coefficient = count.coefficient
            }
            return SyntheticLeads.Count(
                column: count.column, baseMean: count.baseMean, intentSensitivity: count.intentSensitivity,
                shape: count.shape, coefficient: coefficient, cap: count.cap)
        }
    }

    /// The true model after the drift, in the encoding's terms and order.
    package static func trueTerms() -> [TrueTerm] {
        SyntheticLeads.trueTerms(categoricals: categoricals, counts: counts)
    }
}

/// The drifted truth recorded beside the pre-drift one.
package struct SyntheticDriftTruth: Codable, Sendable, Equatable {
    /// First day (ISO 8601 date, UTC) of the drifted market.
    package let starts: String
    /// Rows generated under the drifted model.
    package let rows: Int
    /// The true model after the drift.
    package let terms: [TrueTerm]
    package var story =
        "lead_source mix shifts to content_syndication and social, 1-10 companies grow; content_syndication effect -0.40 -> -1.20, log1p(webinars_attended) 0.25 -> 0, log1p(pricing_page_views) 0.35 -> 0.70, job_seniority c_level 0.40 -> 0.90"
}

extension SyntheticLeads {
    /// Days since 1970-01-01 of the first day of the `index`-th quarter after 2023Q1 (0 → 2023-01-01).
    static func dayOfQuarterStart(_ index: Int) -> Int {
        let year = 2023 + index / 4
        let month = 1 + 3 * (index % 4)
        return CivilDate.days(year: year, month: month, day: 1)
    }
}
