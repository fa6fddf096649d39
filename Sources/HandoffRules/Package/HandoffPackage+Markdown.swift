extension HandoffPackage {
    /// The package as Markdown, sections in the order a rep needs them.
    package func markdown() -> String {
        var out: [String] = []
        let title = prospect.company.map { "\(prospect.name), \($0)" } ?? prospect.name
        out.append("# Hand-off: \(title)")
        out.append("")
        out.append("**\(qualification.stage.rawValue.uppercased())** · priority **\(qualification.priority.rawValue)** · first touch due by **\(slaDeadline)** · lead `\(leadID)`")
        out.append("")
        out.append("## Who")
        if let jobTitle = prospect.jobTitle { out.append("- Role: \(jobTitle)") }
        if let email = prospect.email { out.append("- Email: \(email)") }
        if let phone = prospect.phone { out.append("- Phone: \(phone)") }
        for (column, value) in prospect.firmographics.sorted(by: { $0.key < $1.key }) {
            out.append("- \(ScoringPlan.label(column)): \(value)")
        }
        out.append("")
        out.append("## Score and why")
        out.append("- \(Self.fixed(score.points, 0)) points (fit \(Self.signed(score.fitPoints)), engagement \(Self.signed(score.engagementPoints))), \(Self.fixed(100 * score.probability, 1)) % chance to close")
        for reason in score.reasons { out.append("- \(reason)") }
        out.append("")
        out.append("## Qualification")
        out.append("- Stage \(qualification.stage.rawValue.uppercased()) by rule \(qualification.rule ?? "none (no rule held)")")
        for line in qualification.evidence { out.append("  - \(line)") }
        out.append("")
        out.append("## Journey")
        if timeline.isEmpty { out.append("- No recorded events.") }
        for entry in timeline {
            let content = entry.content.map { ": \($0)" } ?? ""
            let detail = entry.detail.map { " (\($0))" } ?? ""
            out.append("- \(entry.at) \(entry.type)\(content)\(detail)")
        }
        if !contentConsumed.isEmpty {
            out.append("")
            out.append("Content consumed: \(contentConsumed.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        out.append("")
        out.append("## Pain points and solutions explored")
        if painPoints.isEmpty && solutionsExplored.isEmpty && notes == nil { out.append("- None recorded.") }
        for pain in painPoints { out.append("- Pain: \(pain)") }
        for solution in solutionsExplored { out.append("- Explored: \(solution)") }
        if let notes { out.append("- Notes: \(notes)") }
        out.append("")
        out.append("## Recommended approach")
        for line in approach { out.append("1. \(line)") }
        if let draft = emailDraft {
            out.append("")
            out.append("## Warm introduction (draft)")
            out.append("From: \(draft.from)")
            if let to = draft.to { out.append("To: \(to)") }
            out.append("Subject: \(draft.subject)")
            out.append("")
            out.append(draft.body)
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    static func fixed(_ x: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", x)
    }

    static func signed(_ x: Double) -> String {
        (x >= 0 ? "+" : "") + fixed(x, 0)
    }
}
