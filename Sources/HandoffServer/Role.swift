/// What a token may do. Every route but `/health` requires one of a listed set of roles.
///
/// - `ingest`: POST events (marketing automation, CRM webhooks).
/// - `marketing`, `sales`: read leads, hand-offs, SLA, models and the dashboard.
/// - `sales-manager`: what `sales` reads, plus assigning leads by hand (`POST /leads/{id}/assign`).
/// - `admin`: everything, including the model registry, tokens and `/metrics`.
package enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case marketing
    case sales
    case admin
    case ingest
    case salesManager = "sales-manager"
}
