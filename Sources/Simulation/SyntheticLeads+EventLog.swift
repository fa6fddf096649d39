import BatonSupport
import Foundation

/// The marketing side of hand-off traffic from the synthetic leads, for the closed-loop traffic
/// simulator (`baton generate --events`, which hands these to HandoffEngine's `TrafficSimulator`;
/// the sales side is simulated there, reacting to the engine's hand-offs).
///
/// From the leads of `SyntheticLeads.generate(rows:seed:)` (same rows, same seed), per lead:
/// - the `lead_created` fields: its ten fit fields, `days_since_last_activity` as generated, and
///   every event-fed count at "0";
/// - one engagement per unit of each count (`webinar_attended` ×`webinars_attended`, …), spread
///   uniformly over the 21 days after creation, so the counts the engine accumulates equal the
///   lead's row;
/// - fit facts for the simulated reps' dispositions, the true outcome `won` (the lead would buy
///   if reached promptly) and an expected deal size (by company size, ×0.6–1.4; EUR in EMEA,
///   else USD).
///
/// The output depends only on `(rows, seed)`.
package enum SyntheticEventLog {
    /// Event `type` per count column (the engine matches them back by ``EngagementDecay``'s rule).
    static let engagementTypes: [String: String] = [
        "content_downloads": "content_download", "webinars_attended": "webinar_attended", "email_opens": "email_open",
        "email_clicks": "email_click", "page_views": "page_view", "pricing_page_views": "pricing_page_view",
        "demo_requests": "demo_request", "site_visits": "site_visit", "form_submissions": "form_submission",
        "free_trial_days_active": "free_trial_day_active", "events_attended": "event_attended",
        "sales_meetings": "sales_meeting", "social_engagements": "social_engagement", "support_chats": "support_chat",
    ]

    /// Base deal size in USD by company size.
    static let dealSize: [String: Double] = [
        "1-10": 5_000, "11-50": 12_000, "51-200": 25_000, "201-1000": 60_000, "1001-5000": 120_000, "5001+": 250_000,
    ]

    /// Sources that tend to bring poor-fit leads.
    package static let poorFitSources: Set<String> = ["content_syndication", "social", "outbound"]

    /// The marketing side of `rows` synthetic leads (created over `options.quarters`), in creation order.
    package static func marketingLeads(rows: Int, seed: UInt64, options: SyntheticOptions = .init()) throws -> [SyntheticMarketingLead] {
        var csv: [UInt8] = []
        try SyntheticLeads.generate(rows: rows, seed: seed, options: options) { csv += $0 }
        let table = String(decoding: csv, as: UTF8.self).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        guard let header = table.first else { return [] }
        var random = SyntheticSampler(seed: seed, stream: 0x0e7e_0105)
        var leads: [SyntheticMarketingLead] = []
        for cells in table.dropFirst() where cells.count == header.count {
            let row = Dictionary(uniqueKeysWithValues: zip(header, cells))
            guard let created = parseTime(row["created_at"] ?? "") else { continue }
            var fields: [String: String] = [:]
            for column in SyntheticLeads.categoricals.map(\.column) { fields[column] = row[column] }
            for count in SyntheticLeads.counts.map(\.column) {
                fields[count] = engagementTypes[count] == nil ? row[count] : "0"
            }
            var engagements: [SyntheticMarketingLead.Engagement] = []
            for count in SyntheticLeads.counts.map(\.column) {
                guard let type = engagementTypes[count], let n = Int(row[count] ?? "") else { continue }
                for _ in 0..<n {
                    let at = (created + 60 + random.uniform() * 21 * 86_400).rounded(.down)
                    let content = type == "webinar_attended" || type == "content_download" ? contentTitle(&random) : nil
                    engagements.append(.init(secondsSince1970: at, type: type, content: content))
                }
            }
            engagements.sort { ($0.secondsSince1970, $0.type) < ($1.secondsSince1970, $1.type) }
            let deal = ((dealSize[row["company_size"] ?? ""] ?? 20_000) * (0.6 + 0.8 * random.uniform()) / 100).rounded() * 100
            leads.append(
                SyntheticMarketingLead(
                    id: row["lead_id"] ?? "", createdSecondsSince1970: created, fields: fields, source: row["lead_source"],
                    engagements: engagements,
                    poorFitSource: poorFitSources.contains(row["lead_source"] ?? ""), smallCompany: row["company_size"] == "1-10",
                    budgetAuthority: row["budget_authority"] == "yes",
                    longTimeline: ["12+_months", "unknown"].contains(row["purchase_timeline"] ?? ""),
                    competitorInPlace: row["current_solution"] == "competitor", won: row["won"] == "1",
                    dealAmount: deal, currency: row["region"] == "emea" ? "EUR" : "USD"))
        }
        return leads
    }

    static func contentTitle(_ random: inout SyntheticSampler) -> String {
        let titles = [
            "Lead scoring that sales trusts", "The 1-hour follow-up playbook", "Pipeline analytics 101",
            "From MQL to revenue", "Routing leads without bursts",
        ]
        return titles[min(titles.count - 1, Int(random.uniform() * Double(titles.count)))]  // total: uniform() ∈ [0, 1)
    }

    /// Seconds since 1970 of `2023-01-01T00:55:09Z`.
    static func parseTime(_ text: String) -> Double? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
        guard parts.count == 6 else { return nil }
        let days = CivilDate.days(year: parts[0], month: parts[1], day: parts[2])
        return Double(days * 86_400 + parts[3] * 3600 + parts[4] * 60 + parts[5])
    }

    /// ISO 8601 UTC to the second.
    static func format(_ seconds: Double) -> String {
        let s = seconds.clampedInt(.down, in: -(1 << 40)...(1 << 40))
        let days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        let rest = s - days * 86_400
        let (y, m, d) = CivilDate.civil(day: days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
    }
}

/// One synthetic lead's marketing side (see ``SyntheticEventLog``).
package struct SyntheticMarketingLead: Sendable, Equatable {
    package struct Engagement: Sendable, Equatable {
        /// Whole seconds since 1970 (UTC).
        package let secondsSince1970: Double
        /// Engagement type (`webinar_attended`).
        package let type: String
        package let content: String?
    }

    package let id: String
    package let createdSecondsSince1970: Double
    /// Raw fields of the `lead_created` event.
    package let fields: [String: String]
    package let source: String?
    /// In time order.
    package let engagements: [Engagement]
    package let poorFitSource: Bool
    package let smallCompany: Bool
    package let budgetAuthority: Bool
    package let longTimeline: Bool
    package let competitorInPlace: Bool
    /// The true model's outcome.
    package let won: Bool
    /// Expected deal size in major units (whole hundreds) and its currency.
    package let dealAmount: Double
    package let currency: String
}
