import ReportRendering

extension HandoffPackage {
    /// The package as Markdown, sections in the order a rep needs them.
    package func markdown() -> String {
        var md = MarkdownWriter()
        let title = prospect.company.map { "\(prospect.name), \($0)" } ?? prospect.name
        md.line("# Hand-off: \(title)")
        md.line("")
        md.line(
            "**\(qualification.stage.rawValue.uppercased())** · priority **\(qualification.priority.rawValue)** · first touch due by **\(slaDeadline)** · lead `\(leadID)`"
        )
        md.line("")
        md.line("## Who")
        if let jobTitle = prospect.jobTitle { md.line("- Role: \(jobTitle)") }
        if let email = prospect.email { md.line("- Email: \(email)") }
        if let phone = prospect.phone { md.line("- Phone: \(phone)") }
        for (column, value) in prospect.firmographics.sorted(by: { $0.key < $1.key }) {
            md.line("- \(ScoringPlan.label(column)): \(value)")
        }
        md.line("")
        if let account {
            for line in account.markdownLines() { md.line(line) }
        }
        md.line("## Score and why")
        md.line(
            "- \(NumberFormat.fixed(score.points, 0)) points (fit \(Self.signed(score.fitPoints)), engagement \(Self.signed(score.engagementPoints))), \(NumberFormat.fixed(100 * score.probability, 1)) % chance to close"
        )
        if let then = scoreAtHandoff { md.line("- At hand-off (\(then.scoredAt)): \(Self.moment(then))") }
        if let now = scoreNow {
            let change = scoreAtHandoff.map { " (\(Self.signed(now.points - $0.points)) points since the hand-off)" } ?? ""
            let model = scoreAtHandoff.map { $0.modelChecksum != now.modelChecksum } == true ? ", by another model" : ""
            md.line("- Now (\(now.scoredAt)): \(Self.moment(now))\(change)\(model)")
        }
        for reason in score.reasons { md.line("- \(reason)") }
        md.line("")
        md.line("## Qualification")
        md.line("- Stage \(qualification.stage.rawValue.uppercased()) by rule \(qualification.rule ?? "none (no rule held)")")
        for line in qualification.evidence { md.line("  - \(line)") }
        md.line("")
        md.line("## Journey")
        if timeline.isEmpty { md.line("- No recorded events.") }
        for entry in timeline {
            let content = entry.content.map { ": \($0)" } ?? ""
            let detail = entry.detail.map { " (\($0))" } ?? ""
            md.line("- \(entry.at) \(entry.type)\(content)\(detail)")
        }
        if !contentConsumed.isEmpty {
            md.line("")
            md.line("Content consumed: \(contentConsumed.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        md.line("")
        md.line("## Pain points and solutions explored")
        if painPoints.isEmpty && solutionsExplored.isEmpty && notes == nil { md.line("- None recorded.") }
        for pain in painPoints { md.line("- Pain: \(pain)") }
        for solution in solutionsExplored { md.line("- Explored: \(solution)") }
        if let notes { md.line("- Notes: \(notes)") }
        md.line("")
        if let whatWasSaid {
            for line in whatWasSaid.markdownLines() { md.line(line) }
        }
        md.line("## Recommended approach")
        for line in approach { md.line("1. \(line)") }
        if let draft = emailDraft {
            md.line("")
            md.line("## Warm introduction (draft)")
            md.line("From: \(draft.from)")
            if let to = draft.to { md.line("To: \(to)") }
            md.line("Subject: \(draft.subject)")
            md.line("")
            md.line(draft.body)
        }
        md.line("")
        return md.lines.joined(separator: "\n")
    }

    static func moment(_ score: ScoreMoment) -> String {
        "\(NumberFormat.fixed(score.points, 0)) points, \(NumberFormat.fixed(100 * score.probability, 1)) % chance to close"
    }

    static func signed(_ x: Double) -> String {
        (x >= 0 ? "+" : "") + NumberFormat.fixed(x, 0)
    }
}
