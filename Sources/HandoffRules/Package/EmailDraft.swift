/// A warm-introduction email from the marketing owner to the prospect, introducing the rep by
/// name (the playbook's `name`, else the rep id). Only a lead without a rep (parked in a fallback
/// queue) keeps the `{{rep_name}}` placeholder for the sender to fill.
package struct EmailDraft: Sendable, Codable, Equatable {
    package var from: String
    package var to: String?
    package var subject: String
    package var body: String

    init(owner: MarketingOwner, prospect: HandoffPackage.Prospect, contentConsumed: [String], painPoints: [String], repName: String? = nil) {
        let rep = repName ?? "{{rep_name}}"
        from = "\(owner.name) <\(owner.email)>"
        to = prospect.email
        let firstName = prospect.name.split(separator: " ").first.map(String.init) ?? prospect.name
        let company = prospect.company.map { " at \($0)" } ?? ""
        subject = "An introduction for \(prospect.company ?? firstName)"
        var paragraphs = ["Hi \(firstName),"]
        if let title = contentConsumed.last {
            paragraphs.append("Thank you for spending time with \"\(title)\". I hope it was useful for the team\(company).")
        } else {
            paragraphs.append("Thank you for your interest in what we do.")
        }
        if let pain = painPoints.first {
            paragraphs.append(
                "You mentioned \(pain.prefix(1).lowercased() + pain.dropFirst()). My colleague \(rep) works with teams facing exactly that and would be glad to compare notes."
            )
        } else {
            paragraphs.append("My colleague \(rep) works with teams like yours and would be glad to answer your questions.")
        }
        paragraphs.append("Would a short call this week suit you? \(rep) will follow up to find a time.")
        paragraphs.append("Best regards,\n\(owner.name)\(owner.title.map { "\n\($0)" } ?? "")")
        body = paragraphs.joined(separator: "\n\n")
    }
}
