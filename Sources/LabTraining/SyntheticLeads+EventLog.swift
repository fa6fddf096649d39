import Foundation

/// Realistic hand-off traffic from the synthetic leads: an event log (JSONL, one event object a
/// line, the shape `baton handoff replay` reads) plus a truth summary of known answers.
///
/// From the leads of `SyntheticLeads.generate(rows:seed:)` (same rows, same seed):
/// - `lead_created` at the lead's `created_at` with its ten fit fields, `days_since_last_activity`
///   as generated, and every event-fed count at "0";
/// - one `engagement` event per unit of each count (`webinar_attended` ×`webinars_attended`, …),
///   spread uniformly over the 21 days after creation, so the counts the engine accumulates equal
///   the lead's row;
/// - for leads sales works (every won lead, every demo request or ≥ 3 pricing-page views, and a
///   quarter of the rest): contact attempts by the territory's rep starting after the last
///   engagement, the first after an exponential delay of mean 1.5 hours (70 %) or 6–72 hours
///   (30 %, which breach the SLA), the rest 4–48 hours apart;
/// - won leads: an opportunity (amount by company size, USD, EUR in EMEA) and `won` 10–60 days
///   later; a quarter of the other worked leads: an opportunity and `lost`; the rest a disposition
///   patterned by fit (`wrong_fit` likelier for small companies and poor-fit sources, `no_budget`
///   without budget authority, `bad_timing` for long or unknown timelines, `competitor_chosen`
///   when a competitor is in place, `unresponsive` after 7 attempts);
/// - about 2 % of events delivered twice (same id and content, a little later in the file).
///
/// Lines are in delivery order. The output depends only on `(rows, seed)`.
public enum SyntheticEventLog {
    /// The rep who works each region (one per territory), as in Datasets/playbook.yaml's `reps:`.
    public static let territoryReps: [String: String] = [
        "north_america": "avery", "emea": "mila", "apac": "kenji", "latam": "lucia", "anz": "oliver",
    ]

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

    /// Writes the log to `url` and returns the truth.
    public static func write(rows: Int, seed: UInt64, to url: URL) throws -> SyntheticEventLogTruth {
        let (lines, truth) = try generate(rows: rows, seed: seed)
        do {
            try Data(lines.joined().utf8).write(to: url, options: .atomic)
        } catch {
            throw SyntheticLeadsError.cannotWrite(file: url.path, detail: error.localizedDescription)
        }
        return truth
    }

    /// The log's lines (each ending in `\n`) and the truth.
    public static func generate(rows: Int, seed: UInt64) throws -> (lines: [String], truth: SyntheticEventLogTruth) {
        var csv: [UInt8] = []
        try SyntheticLeads.generate(rows: rows, seed: seed) { csv += $0 }
        let table = String(decoding: csv, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = table.first else { return ([], SyntheticEventLogTruth(seed: seed, leads: 0)) }
        var random = SyntheticSampler(seed: seed, stream: 0x0e7e_0105)
        var events: [(delivery: Double, order: Int, json: [String: Any], type: String)] = []
        var truth = SyntheticEventLogTruth(seed: seed, leads: rows)
        var order = 0
        func emit(_ object: [String: Any], at seconds: Double) {
            order += 1
            let type = object["type"] as? String ?? ""
            events.append((seconds, order, object, type))
            truth.eventsByType[type, default: 0] += 1
            truth.events += 1
        }
        for cells in table.dropFirst() where cells.count == header.count {
            let row = Dictionary(uniqueKeysWithValues: zip(header, cells))
            let lead = row["lead_id"] ?? ""
            guard let created = parseTime(row["created_at"] ?? "") else { continue }
            var serial = 0
            func base(_ type: String, _ at: Double) -> [String: Any] {
                serial += 1
                return ["event_id": "\(lead)-\(String(format: "%03d", serial))", "type": type, "occurred_at": format(at), "lead_id": lead]
            }
            var fields: [String: String] = [:]
            for column in SyntheticLeads.categoricals.map(\.column) { fields[column] = row[column] }
            for count in SyntheticLeads.counts.map(\.column) {
                fields[count] = engagementTypes[count] == nil ? row[count] : "0"
            }
            var created_ = base("lead_created", created)
            created_["fields"] = fields
            created_["source"] = row["lead_source"]
            emit(created_, at: created)
            // Engagement, spread over three weeks.
            var engagementTimes: [(Double, String)] = []
            for count in SyntheticLeads.counts.map(\.column) {
                guard let type = engagementTypes[count], let n = Int(row[count] ?? "") else { continue }
                for _ in 0..<n { engagementTimes.append((created + 60 + random.uniform() * 21 * 86_400, type)) }
            }
            engagementTimes.sort { $0.0 < $1.0 }
            for (at, type) in engagementTimes {
                var e = base("engagement", at)
                e["event_type"] = type
                if type == "webinar_attended" || type == "content_download" { e["content"] = contentTitle(&random) }
                emit(e, at: at)
            }
            // Sales.
            let won = row["won"] == "1"
            let demo = Int(row["demo_requests"] ?? "") ?? 0, pricing = Int(row["pricing_page_views"] ?? "") ?? 0
            guard won || demo > 0 || pricing >= 3 || random.uniform() < 0.25 else { continue }
            guard let rep = territoryReps[row["region"] ?? ""] else { continue }
            var t = (engagementTimes.last?.0 ?? created) + 300
            let code = won ? nil : dispositionCode(row, &random)
            let lostDeal = !won && random.uniform() < 0.25
            let attempts = code == "unresponsive" && !lostDeal ? 7 : (won ? 2 + Int(random.uniform() * 3) : 1 + Int(random.uniform() * 5))
            t += random.uniform() < 0.7 ? -log(random.generator.uniformPositive()) * 1.5 * 3600 : (6 + random.uniform() * 66) * 3600
            for i in 0..<attempts {
                if i > 0 { t += (4 + random.uniform() * 44) * 3600 }
                var a = base("contact_attempt", t)
                a["rep_id"] = rep
                a["channel"] = ["call", "email", "call", "social"][Int(random.uniform() * 4)]
                a["outcome"] = i == attempts - 1 && (won || lostDeal) ? "connected" : ["voicemail", "no_answer", "sent"][Int(random.uniform() * 3)]
                emit(a, at: t)
                truth.contactAttempts += 1
            }
            if won || lostDeal {
                t += (1 + random.uniform() * 4) * 86_400
                let currency = row["region"] == "emea" ? "EUR" : "USD"
                let expected = ((dealSize[row["company_size"] ?? ""] ?? 20_000) * (0.6 + 0.8 * random.uniform()) / 100).rounded() * 100
                let opportunity = "O-\(lead)"
                var o = base("opportunity", t)
                o["opportunity_id"] = opportunity
                o["amount"] = String(format: "%.2f", expected)
                o["currency"] = currency
                o["stage"] = "discovery"
                emit(o, at: t)
                truth.opportunities += 1
                t += (10 + random.uniform() * 50) * 86_400
                var c = base(won ? "won" : "lost", t)
                c["opportunity_id"] = opportunity
                c["close_date"] = String(format(t).prefix(10))
                if won {
                    let amount = (expected * (0.85 + 0.15 * random.uniform()) / 100).rounded() * 100
                    c["amount"] = String(format: "%.2f", amount)
                    truth.won += 1
                    truth.wonMinorUnits[currency, default: 0] += Int64(amount * 100)
                } else {
                    c["amount"] = "0.00"
                    c["reason"] = ["competitor", "no decision", "price"][Int(random.uniform() * 3)]
                    truth.lost += 1
                }
                emit(c, at: t)
            } else if let code {
                t += (1 + random.uniform() * 48) * 3600
                var d = base("disposition", t)
                d["rep_id"] = rep
                d["code"] = code
                emit(d, at: t)
                truth.dispositionsByCode[code, default: 0] += 1
            }
        }
        // Retried deliveries: the same object again, a little later.
        var retries: [(Double, Int, [String: Any], String)] = []
        for event in events where random.uniform() < 0.02 {
            order += 1
            retries.append((event.delivery + 60 + random.uniform() * 6 * 3600, order, event.json, event.type))
        }
        truth.duplicates = retries.count
        let all = (events + retries).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var lines: [String] = []
        lines.reserveCapacity(all.count)
        for event in all {
            let data = try JSONSerialization.data(withJSONObject: event.2, options: [.sortedKeys, .withoutEscapingSlashes])
            lines.append(String(decoding: data, as: UTF8.self) + "\n")
        }
        truth.lines = lines.count
        return (lines, truth)
    }

    /// A disposition code patterned by fit.
    static func dispositionCode(_ row: [String: String], _ random: inout SyntheticSampler) -> String {
        let poorSource = ["content_syndication", "social", "outbound"].contains(row["lead_source"] ?? "")
        let small = row["company_size"] == "1-10"
        let weights: [(String, Double)] = [
            ("wrong_fit", poorSource || small ? 3.0 : 0.5),
            ("no_budget", row["budget_authority"] == "no" ? 1.5 : 0.4),
            ("bad_timing", ["12+_months", "unknown"].contains(row["purchase_timeline"] ?? "") ? 2.0 : 0.6),
            ("competitor_chosen", row["current_solution"] == "competitor" ? 1.2 : 0.3),
            ("unresponsive", 1.0),
        ]
        let total = weights.reduce(0) { $0 + $1.1 }
        var u = random.uniform() * total
        for (code, w) in weights {
            if u < w { return code }
            u -= w
        }
        return "unresponsive"
    }

    static func contentTitle(_ random: inout SyntheticSampler) -> String {
        let titles = ["Lead scoring that sales trusts", "The 1-hour follow-up playbook", "Pipeline analytics 101",
                      "From MQL to revenue", "Routing leads without bursts"]
        return titles[min(titles.count - 1, Int(random.uniform() * Double(titles.count)))]
    }

    /// Seconds since 1970 of `2023-01-01T00:55:09Z`.
    static func parseTime(_ text: String) -> Double? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
        guard parts.count == 6 else { return nil }
        let days = daysFromCivil(parts[0], parts[1], parts[2])
        return Double(days * 86_400 + parts[3] * 3600 + parts[4] * 60 + parts[5])
    }

    /// ISO 8601 UTC to the second.
    static func format(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.down))
        let days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        let rest = s - days * 86_400
        let (y, m, d) = civilFromDays(days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
    }

    /// Howard Hinnant's days-from-civil (proleptic Gregorian).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// Known answers for a generated event log: what a correct replay must store.
public struct SyntheticEventLogTruth: Codable, Sendable, Equatable {
    public var seed: UInt64
    /// Leads (one `lead_created` each).
    public var leads: Int
    /// Distinct events (ids), and lines in the file (distinct + duplicates).
    public var events = 0
    public var lines = 0
    /// Lines that repeat an earlier event id (retried deliveries).
    public var duplicates = 0
    /// Distinct events per `type`.
    public var eventsByType: [String: Int] = [:]
    public var contactAttempts = 0
    public var dispositionsByCode: [String: Int] = [:]
    public var opportunities = 0
    public var won = 0
    public var lost = 0
    /// Won amounts per currency in minor units (cents).
    public var wonMinorUnits: [String: Int64] = [:]

    public init(seed: UInt64, leads: Int) {
        self.seed = seed
        self.leads = leads
    }

    enum CodingKeys: String, CodingKey {
        case seed, leads, events, lines, duplicates, opportunities, won, lost
        case eventsByType = "events_by_type"
        case contactAttempts = "contact_attempts"
        case dispositionsByCode = "dispositions_by_code"
        case wonMinorUnits = "won_minor_units"
    }
}
