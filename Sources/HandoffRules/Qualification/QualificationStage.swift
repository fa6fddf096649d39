/// Where a lead stands in the funnel (GLOSSARY): still being nurtured, marketing-qualified,
/// or sales-qualified. Ordered: `nurture < mql < sql`.
public enum QualificationStage: String, Codable, Sendable, CaseIterable, Comparable {
    case nurture
    case mql
    case sql

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
}

/// How fast a hand-off must be touched: `high` intent (an SQL, or a high-intent signal such as a
/// demo request) or `standard`. The SLA policies are keyed by this.
public enum HandoffPriority: String, Codable, Sendable, CaseIterable {
    case high
    case standard

    /// The ``SLAPolicies`` entry that times a hand-off of this priority (`high` → `sla.policies.high`).
    public var slaPolicyName: String { rawValue }
}
