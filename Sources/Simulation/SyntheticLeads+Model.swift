/// The true model behind the synthetic leads: columns, level weights and effects, count
/// distributions. Level names, weights and effects follow `../shared/reference/synthetic/gen_leads.py`
/// so the two generators describe the same market (their random streams differ).
extension SyntheticLeads {
    /// A categorical "fit" column: its levels in file order, with sampling weights (summing to 1)
    /// and true effects on the log-odds (before the byte-order baseline is folded into the intercept).
    package struct Categorical: Sendable {
        package let column: String
        package let levels: [(name: String, weight: Double, effect: Double)]
    }

    /// An engagement count: negative binomial (gamma–Poisson) with mean `baseMean · e^(intentSensitivity · intent)`
    /// and shape `shape`, entering the true model as `coefficient · log1p(count)`.
    package struct Count: Sendable {
        package let column: String
        package let baseMean: Double
        package let intentSensitivity: Double
        package let shape: Double
        package let coefficient: Double
        /// Counts above this are clipped (a recency in days cannot exceed the two-year window).
        package let cap: Int?
    }

    /// Log-odds of a lead at every effect 0 and every count 0.
    package static let baseLogOdds = -3.6

    /// The ten fit columns, in file order.
    package static let categoricals: [Categorical] = [
        Categorical(
            column: "company_size",
            levels: [
                ("1-10", 0.22, -0.55), ("11-50", 0.24, -0.20), ("51-200", 0.20, 0.10),
                ("201-1000", 0.16, 0.30), ("1001-5000", 0.11, 0.35), ("5001+", 0.07, 0.20),
            ]),
        Categorical(
            column: "industry",
            levels: [
                ("software", 0.20, 0.35), ("financial_services", 0.12, 0.25), ("healthcare", 0.10, 0.05),
                ("manufacturing", 0.12, 0.00), ("retail", 0.09, -0.15), ("education", 0.07, -0.35),
                ("government", 0.05, -0.45), ("media", 0.06, -0.10), ("telecom", 0.06, 0.10), ("other", 0.13, -0.25),
            ]),
        Categorical(
            column: "region",
            levels: [
                ("north_america", 0.45, 0.15), ("emea", 0.28, 0.05), ("apac", 0.15, -0.10),
                ("latam", 0.08, -0.25), ("anz", 0.04, 0.00),
            ]),
        Categorical(
            column: "job_seniority",
            levels: [
                ("individual", 0.30, -0.50), ("manager", 0.30, 0.00), ("director", 0.20, 0.30),
                ("vp", 0.12, 0.45), ("c_level", 0.08, 0.40),
            ]),
        Categorical(column: "budget_authority", levels: [("no", 0.70, 0.00), ("yes", 0.30, 0.55)]),
        Categorical(
            column: "purchase_timeline",
            levels: [
                ("0-3_months", 0.15, 0.80), ("3-6_months", 0.20, 0.35), ("6-12_months", 0.20, 0.00),
                ("12+_months", 0.15, -0.45), ("unknown", 0.30, -0.20),
            ]),
        Categorical(
            column: "lead_source",
            levels: [
                ("organic_search", 0.22, 0.10), ("paid_search", 0.18, -0.05), ("referral", 0.08, 0.60),
                ("event", 0.10, 0.25), ("outbound", 0.15, -0.30), ("partner", 0.07, 0.40),
                ("social", 0.12, -0.25), ("content_syndication", 0.08, -0.40),
            ]),
        Categorical(
            column: "department",
            levels: [
                ("it", 0.25, 0.20), ("marketing", 0.20, 0.00), ("sales", 0.18, 0.05),
                ("finance", 0.10, 0.10), ("operations", 0.17, -0.05), ("hr", 0.10, -0.30),
            ]),
        Categorical(
            column: "current_solution",
            levels: [
                ("none", 0.25, 0.10), ("competitor", 0.30, -0.20), ("in_house", 0.20, -0.10), ("spreadsheet", 0.25, 0.30),
            ]),
        Categorical(column: "product_interest", levels: [("core", 0.55, 0.00), ("analytics", 0.30, 0.15), ("enterprise", 0.15, 0.25)]),
    ]

    /// The fifteen engagement counts, in file order.
    package static let counts: [Count] = [
        Count(column: "content_downloads", baseMean: 1.2, intentSensitivity: 0.9, shape: 1.5, coefficient: 0.20, cap: nil),
        Count(column: "webinars_attended", baseMean: 0.35, intentSensitivity: 1.0, shape: 1.0, coefficient: 0.25, cap: nil),
        Count(column: "email_opens", baseMean: 9.0, intentSensitivity: 0.6, shape: 2.0, coefficient: 0.05, cap: nil),
        Count(column: "email_clicks", baseMean: 1.5, intentSensitivity: 0.9, shape: 1.2, coefficient: 0.15, cap: nil),
        Count(column: "page_views", baseMean: 14.0, intentSensitivity: 0.7, shape: 1.5, coefficient: 0.10, cap: nil),
        Count(column: "pricing_page_views", baseMean: 0.6, intentSensitivity: 1.2, shape: 0.8, coefficient: 0.35, cap: nil),
        Count(column: "demo_requests", baseMean: 0.08, intentSensitivity: 1.6, shape: 0.6, coefficient: 0.70, cap: nil),
        Count(column: "site_visits", baseMean: 4.0, intentSensitivity: 0.7, shape: 1.8, coefficient: 0.08, cap: nil),
        Count(column: "form_submissions", baseMean: 0.7, intentSensitivity: 0.9, shape: 1.2, coefficient: 0.12, cap: nil),
        Count(column: "free_trial_days_active", baseMean: 0.9, intentSensitivity: 1.3, shape: 0.5, coefficient: 0.22, cap: nil),
        Count(column: "events_attended", baseMean: 0.15, intentSensitivity: 1.0, shape: 0.8, coefficient: 0.20, cap: nil),
        Count(column: "sales_meetings", baseMean: 0.12, intentSensitivity: 1.5, shape: 0.7, coefficient: 0.45, cap: nil),
        Count(column: "social_engagements", baseMean: 1.0, intentSensitivity: 0.5, shape: 0.9, coefficient: -0.02, cap: nil),
        Count(column: "support_chats", baseMean: 0.25, intentSensitivity: 0.6, shape: 0.8, coefficient: 0.05, cap: nil),
        Count(column: "days_since_last_activity", baseMean: 45.0, intentSensitivity: -0.9, shape: 1.3, coefficient: -0.30, cap: 730),
    ]

    /// Clicks cannot exceed opens: `email_clicks` is clipped to `email_opens` of the same lead.
    static let clippedPair = (clicks: "email_clicks", opens: "email_opens")

    /// Latent buying intent: `N(0, 0.8²) + timelineShift[timeline level] + 0.1 · seniority index`,
    /// indices in file order. It drives every count, so engagement correlates with fit.
    static let intentNoise = 0.8
    static let timelineShift: [Double] = [0.6, 0.3, 0.0, -0.4, -0.1]
    static let senioritySlope = 0.1

    /// Every column of the CSV, in order.
    package static var columns: [String] {
        ["lead_id", "created_at"] + categoricals.map(\.column) + counts.map(\.column) + ["won"]
    }

    /// The true model in the encoding's terms and order: `(intercept)`, then per categorical column
    /// `column=level` for every level but the byte-order first (the baseline, whose effect is folded
    /// into the intercept and subtracted from the others), then `log1p(count)` per count. 60 terms.
    package static func trueTerms() -> [TrueTerm] {
        trueTerms(categoricals: categoricals, counts: counts)
    }

    /// ``trueTerms()`` for given columns (the drifted market uses its own, see ``SyntheticDrift``).
    static func trueTerms(categoricals: [Categorical], counts: [Count]) -> [TrueTerm] {
        var intercept = baseLogOdds
        var levelTerms: [TrueTerm] = []
        for categorical in categoricals {
            let sorted = categorical.levels.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            let baseline = sorted[0].effect
            intercept += baseline
            for level in sorted.dropFirst() {
                levelTerms.append(TrueTerm(name: "\(categorical.column)=\(level.name)", coefficient: level.effect - baseline))
            }
        }
        let countTerms = counts.map { TrueTerm(name: "log1p(\($0.column))", coefficient: $0.coefficient) }
        return [TrueTerm(name: "(intercept)", coefficient: intercept)] + levelTerms + countTerms
    }
}

/// One term of the true model and its coefficient (log-odds per unit).
package struct TrueTerm: Codable, Sendable, Equatable {
    package let name: String
    package let coefficient: Double
}
