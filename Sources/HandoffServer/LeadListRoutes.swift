import BatonSupport
import Foundation
import HTTPTypes
import HandoffFlow
import HandoffPersistence
import HandoffRules
import Hummingbird

/// `GET /leads?stage=&owner=&since=&cursor=&limit=` (issue 21, item 16): the flow read from
/// outside, a page at a time, parked leads included (`owner=<fallback queue>`).
///
/// Leads come in creation order; `next_cursor` (also a `Link: <…>; rel="next"` header, RFC 8288)
/// asks for the next page and is null on the last. Filters: `stage` (`nurture`, `mql`, `sql`: the
/// latest qualification), `owner` (a rep id or fallback queue name holding the lead now), `since`
/// (RFC 3339: anything happened to the lead at or after it — a field, an event's arrival, an SLA
/// step, an assignment). `limit` 1–500, default 50. A bad parameter is a 400 naming it.
extension HandoffService {
    func addLeadListRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.get("/leads") { request, context in
            _ = try context.require(.marketing, .sales, .salesManager)
            let query = try Self.leadListQuery(request.uri.queryParameters)
            let page = try await self.store.leadList(query)
            var response = JSONResponse.make(LeadList(page, query: query))
            if let next = page.next {
                response.headers[.link] = "<\(Self.nextPageLink(request.uri.queryParameters, cursor: next.text))>; rel=\"next\""
            }
            return response
        }
    }

    static func leadListQuery(_ parameters: Hummingbird.Parameters) throws -> LeadListQuery {
        let known: Set<String> = ["stage", "owner", "since", "cursor", "limit"]
        for (name, _) in parameters where !known.contains(String(name)) {
            let shown = Identifier.problem(String(name)) == nil && name.count <= 64 ? String(name) : "(query)"
            throw APIError.invalid(shown, "is not a lead list parameter; use stage, owner, since, cursor or limit")
        }
        var query = LeadListQuery()
        if let stage = parameters.get("stage") {
            guard let value = QualificationStage(rawValue: stage) else {
                throw APIError.invalid("stage", "must be one of \(QualificationStage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.stage = value
        }
        if let owner = parameters.get("owner") {
            if let problem = Identifier.problem(owner) { throw APIError.invalid("owner", problem) }
            query.owner = owner
        }
        if let since = parameters.get("since") {
            guard let date = EventTime.parse(since, dateOnlyAllowed: true) else {
                throw APIError.invalid("since", "must be an RFC 3339 time with a zone (2026-03-02T14:05:00Z) or a date (2026-03-02)")
            }
            query.since = date
        }
        if let cursor = parameters.get("cursor") {
            guard let value = LeadListCursor(text: cursor) else {
                // Well-formed text that this service never handed out: 422, as a schema-valid value the
                // service cannot use (the OpenAPI document can only say "opaque text").
                throw APIError(
                    .unprocessableContent, code: "invalid_cursor",
                    message: "field cursor is not a cursor this service handed out; pass next_cursor from the previous page unchanged",
                    field: "cursor")
            }
            query.after = value
        }
        if let limit = parameters.get("limit") {
            guard let value = Int(limit), (1...LeadListQuery.maximumLimit).contains(value) else {
                throw APIError.invalid("limit", "must be a whole number from 1 to \(LeadListQuery.maximumLimit)")
            }
            query.limit = value
        }
        return query
    }

    /// `/leads?…` with the same filters and the next page's cursor, percent-encoded.
    static func nextPageLink(_ parameters: Hummingbird.Parameters, cursor: String) -> String {
        var items: [URLQueryItem] = []
        for name in ["stage", "owner", "since", "limit"] {
            if let value = parameters.get(name) { items.append(URLQueryItem(name: name, value: value)) }
        }
        items.append(URLQueryItem(name: "cursor", value: cursor))
        var components = URLComponents()
        components.path = "/leads"
        components.queryItems = items
        // `+` is a space to form decoders: encoded so a value keeps its plus sign.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string ?? "/leads?cursor=\(cursor)"
    }
}

/// The body of `GET /leads`.
struct LeadList: Encodable, Sendable {
    /// Who holds the lead: the CRM sync's holder (`kind` rep or fallback_queue, `id`), since when and by which rule.
    struct Owner: Encodable, Sendable {
        let kind: String
        let id: String
        let since: String
        let rule: String

        init(_ assignment: AssignmentRecord) {
            let holder = CRMSyncPayload.Holder(assignment.target)
            (kind, id, since, rule) = (holder.kind, holder.id, EventTime.format(assignment.assignedAt), assignment.rule)
        }
    }

    struct Item: Encodable, Sendable {
        let leadID: String
        let createdAt: String
        let lastActivityAt: String
        @Nullable var source: String?
        @Nullable var campaign: String?
        @Nullable var stage: String?
        @Nullable var priority: String?
        @Nullable var points: Double?
        @Nullable var probability: Double?
        @Nullable var scoredAt: String?
        @Nullable var owner: Owner?

        enum CodingKeys: String, CodingKey {
            case source, campaign, stage, priority, points, probability, owner
            case leadID = "lead_id"
            case createdAt = "created_at"
            case lastActivityAt = "last_activity_at"
            case scoredAt = "scored_at"
        }
    }

    struct Filters: Encodable, Sendable {
        @Nullable var stage: String?
        @Nullable var owner: String?
        @Nullable var since: String?
        let limit: Int
    }

    let leads: [Item]
    let count: Int
    @Nullable var nextCursor: String?
    let filters: Filters

    enum CodingKeys: String, CodingKey {
        case leads, count, filters
        case nextCursor = "next_cursor"
    }

    init(_ page: LeadListPage, query: LeadListQuery) {
        leads = page.entries.map { entry in
            let owner = entry.openAssignment.map(Owner.init)
            return Item(
                leadID: entry.lead.id, createdAt: EventTime.format(entry.lead.createdAt), lastActivityAt: EventTime.format(entry.lastActivityAt),
                source: entry.lead.source, campaign: entry.lead.campaign, stage: entry.latestDecision?.stage.rawValue,
                priority: entry.latestDecision?.priority.rawValue, points: entry.latestScore?.points,
                probability: entry.latestScore?.probability, scoredAt: entry.latestScore.map { EventTime.format($0.scoredAt) }, owner: owner)
        }
        count = leads.count
        nextCursor = page.next?.text
        filters = Filters(stage: query.stage?.rawValue, owner: query.owner, since: query.since.map(EventTime.format), limit: query.limit)
    }
}

extension HTTPField.Name {
    /// `Link` (RFC 8288), for the next page of a list.
    package static let link = HTTPField.Name("Link")!
}
