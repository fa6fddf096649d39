import BatonSupport
import Foundation
import HandoffFlow
import Hummingbird

/// `POST /leads/{id}/assign` (issue 21, item 5): a sales manager takes a lead out of the fallback
/// queue, or away from a rep, and hands it to a named rep, whose first-touch clock starts then.
///
/// Body: `{"rep_id": "fay"}`, optionally `assigned_by` (default: the token's name), `priority`
/// (`high` / `standard`; default: the lead's), `note`, `occurred_at` (default: now) and
/// `event_id` (default: a new one; send your own to make a retry safe). The route is a door to
/// the `assign` event, which an ingest token may also send to `POST /events`: it is journaled,
/// idempotent by `event_id`, and answered as `/events` answers one event (201, 200 duplicate,
/// 400 wrong shape, 422 refused by the flow naming the field).
extension HandoffService {
    func addAssignRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.post("/leads/{id}/assign") { request, context in
            let principal = try context.require(.salesManager)
            let id = try context.pathIdentifier("id")
            let body = try await request.bodyBytes(limit: context.bodyLimit)
            return try await self.ingest(try Self.assignEvent(body, leadID: id, assignedBy: principal.name, now: self.now()))
        }
    }

    /// The `assign` event the request stands for, as `/events` would receive it.
    static func assignEvent(_ body: Data, leadID: String, assignedBy: String, now: Date) throws -> Data {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: body, options: .fragmentsAllowed)
        } catch {
            throw APIError(
                .badRequest, code: "invalid_json", message: "the request body \(JSONBody.syntaxProblem(body) ?? "is not JSON")", field: "(body)")
        }
        guard var object = parsed as? [String: Any] else {
            throw APIError.invalid("(body)", "must be a JSON object such as {\"rep_id\": \"fay\"}")
        }
        for key in ["type", "lead_id"] where object[key] != nil {
            throw APIError.invalid(key, "is set by the route (/leads/{id}/assign); leave it out")
        }
        object["type"] = "assign"
        object["lead_id"] = leadID
        if object["event_id"] == nil { object["event_id"] = "assign-\(UUID().uuidString.lowercased())" }
        if object["occurred_at"] == nil { object["occurred_at"] = EventTime.format(now) }
        if object["assigned_by"] == nil { object["assigned_by"] = assignedBy }
        return try JSONSerialization.data(withJSONObject: object)
    }
}
