import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import Hummingbird

/// The buttons of push alerts (issue 17): `GET /actions/{token}` shows the lead's hand-off and a
/// form that POSTs the action (a link previewer or a prefetching mail client only ever GETs, so
/// it cannot fire one); `POST /actions/{token}` applies it through the flow as an ordinary event
/// whose id is `action-<token id>`, so it is journaled in the lead's timeline and a second press
/// (of the same button, or of the same button on a re-sent push) is a duplicate that changes nothing.
///
/// - *Accept*: an `assign` of the lead to the token's rep by that rep: out of a queue or from
///   another rep it is a hand-off by hand that starts the rep's first-touch clock; for the rep who
///   holds it already it records the acceptance and leaves the running clock as it is.
/// - *Log a call*: a `contact_attempt` by the rep, channel `call`, outcome from the form
///   (`connected`, `voicemail`, `no_answer`; default `connected`).
/// - *Reassign to triage*: a `release` by the rep: the lead goes back to the playbook's fallback
///   queue (its alert goes there), the rep's first-touch clock stops; `reason` from the form
///   (optional, one line of at most 500 characters).
///
/// No bearer token: the action token is the credential (signed, bound to rep, lead and action,
/// expiring). Answers are small HTML pages, or JSON when the request's `Accept` names
/// `application/json` (ntfy's Accept button sends that): 200 done, 400 malformed token or
/// outcome, 403 not signed by this server's key, 404 when no channel pushes, 409 already used,
/// 410 expired, 422 refused by the flow (the lead is closed, the rep has left), 503 store down.
extension HandoffService {
    func addActionRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.get("/actions/{token}") { request, context in
            let json = ActionPage.wantsJSON(request)
            do {
                let token = try self.actionToken(context)
                let used = try await self.usedAt(token)
                let page = try await self.actionForm(token, text: context.parameters.get("token") ?? "", usedAt: used)
                if json {
                    return JSONResponse.make(
                        ActionAnswer(status: used == nil ? "ready" : "used", token: token, eventID: token.eventID, effects: [], message: page.summary)
                    )
                }
                return ActionPage.response(status: .ok, title: page.title, body: page.html)
            } catch let refusal as ActionRefusal {
                return refusal.response(json: json)
            }
        }
        router.post("/actions/{token}") { request, context in
            let json = ActionPage.wantsJSON(request)
            do {
                let token = try self.actionToken(context)
                let body = try await request.bodyBytes(limit: 8192)
                let event = try self.actionEvent(token, body: body, contentType: request.headers[.contentType])
                return try await self.applyAction(token, event: event, json: json)
            } catch let refusal as ActionRefusal {
                return refusal.response(json: json)
            }
        }
    }

    /// The verified token of the path, or the refusal that says why not.
    func actionToken(_ context: ServiceContext) throws(ActionRefusal) -> ActionToken {
        guard let push else {
            throw ActionRefusal(.notFound, code: "no_push_channels", message: "this Baton sends no push alerts, so it has no action buttons")
        }
        guard let raw = context.parameters.get("token") else { throw ActionRefusal(.badRequest, code: "malformed_token", message: "no token") }
        let verified: Result<ActionToken, ActionTokenError>
        do throws(ActionTokenError) { verified = .success(try push.signer.verify(raw, now: now())) } catch { verified = .failure(error) }
        switch verified {
        case .success(let token):
            return token
        case .failure(.malformed):
            throw ActionRefusal(
                .badRequest, code: "malformed_token",
                message: "this link is not a whole action link: open it from the alert again (it may have been cut off)")
        case .failure(.tampered):
            throw ActionRefusal(
                .forbidden, code: "invalid_token",
                message: "this link was not issued by this Baton (altered, or signed with a key since replaced): use the buttons of a newer alert")
        case .failure(.expired(let at)):
            throw ActionRefusal(
                .gone, code: "token_expired",
                message:
                    "this button expired at \(EventTime.format(Date(timeIntervalSince1970: Double(at)))); nothing was changed. Open the lead in the dashboard, or ask for a new alert"
            )
        }
    }

    /// When the token was used, if it was (its event is in the lead's journal).
    func usedAt(_ token: ActionToken) async throws -> Date? {
        try await store.event(id: token.eventID).flatMap { $0.leadID == token.leadID ? $0.receivedAt : nil }
    }

    /// The event a press of `token` stands for; a call's outcome and a hand-back's reason come
    /// from the form or JSON body.
    func actionEvent(_ token: ActionToken, body: Data, contentType: String?) throws(ActionRefusal) -> InboundEvent {
        let instant = now()
        // Accept reads no body (ntfy's button sends none); the other two read their form.
        let fields = token.action == .accept ? [:] : try ActionPage.fields(body, contentType: contentType)
        switch token.action {
        case .accept:
            return InboundEvent(
                eventID: token.eventID, kind: .assign, occurredAt: instant, leadID: token.leadID,
                body: .assign(.init(repID: token.repID, assignedBy: token.repID, note: "accepted from a push alert")))
        case .logCall:
            let outcome = fields["outcome"] ?? "connected"
            guard ActionPage.callOutcomes.contains(outcome) else {
                throw ActionRefusal(
                    .badRequest, code: "invalid_request", message: "outcome must be one of \(ActionPage.callOutcomes.joined(separator: ", "))")
            }
            return InboundEvent(
                eventID: token.eventID, kind: .contactAttempt, occurredAt: instant, leadID: token.leadID,
                body: .contactAttempt(.init(repID: token.repID, channel: "call", outcome: outcome, note: "logged from a push alert")))
        case .reassign:
            let given = fields["reason"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if let problem = ActionPage.reasonProblem(given) {
                throw ActionRefusal(.badRequest, code: "invalid_request", message: "reason \(problem)")
            }
            return InboundEvent(
                eventID: token.eventID, kind: .release, occurredAt: instant, leadID: token.leadID,
                body: .release(.init(repID: token.repID, reason: given.isEmpty ? "reassigned to triage from a push alert" : given)))
        }
    }

    /// Applies the press once; a second press is 409 and changes nothing.
    func applyAction(_ token: ActionToken, event: InboundEvent, json: Bool) async throws(ActionRefusal) -> Response {
        let applied: ApplyResult
        do {
            applied = try await applyRetryingRaces(event)
        } catch .eventIDReused {
            throw ActionRefusal.used(token, at: nil)
        } catch {
            if Self.isTransient(error) {
                throw ActionRefusal(
                    .serviceUnavailable, code: "store_unavailable", message: "the store cannot be reached; nothing was changed. Try again in a minute"
                )
            }
            throw ActionRefusal(.unprocessableContent, code: Self.code(of: error), message: "nothing was changed: \(error.description)")
        }
        await metrics.event(type: "action_\(token.action.rawValue)", outcome: applied.status.rawValue)
        guard applied.status == .applied else {
            throw ActionRefusal.used(token, at: (try? await usedAt(token)) ?? nil)
        }
        let effects = applied.effects.map(\.summary)
        let summary =
            switch token.action {
            case .accept:
                effects.isEmpty
                    ? "You accepted lead \(token.leadID), which you already hold; your first-touch clock runs as it was."
                    : "Lead \(token.leadID) is yours."
            case .logCall: "Your call on lead \(token.leadID) is logged."
            case .reassign: "Lead \(token.leadID) is back in the triage queue; a sales manager will assign it."
            }
        if json {
            return JSONResponse.make(ActionAnswer(status: "applied", token: token, eventID: token.eventID, effects: effects, message: summary))
        }
        let list = effects.isEmpty ? "" : "<ul>" + effects.map { "<li>\(xmlEscaped($0))</li>" }.joined() + "</ul>"
        return ActionPage.response(status: .ok, title: "Done", body: "<p>\(xmlEscaped(summary))</p>\(list)")
    }

    /// The confirmation page of `token`: the lead's hand-off and a form that POSTs the action.
    func actionForm(_ token: ActionToken, text: String, usedAt: Date?) async throws -> (title: String, summary: String, html: String) {
        let esc = { xmlEscaped($0) }
        let engine = await runtime.current()
        guard let stored = try await engine.package(leadID: token.leadID) else {
            throw ActionRefusal(.notFound, code: "not_found", message: "lead \(token.leadID) is no longer stored")
        }
        let title = "\(token.action.label): lead \(token.leadID)"
        let handoff = "<pre>\(esc(LeadView.markdown(stored, leadID: token.leadID)))</pre>"
        if let usedAt {
            let summary = "This button was used at \(EventTime.format(usedAt)); pressing it again changes nothing."
            return (title, summary, "<p>\(esc(summary))</p>\(handoff)")
        }
        let expiry = EventTime.format(Date(timeIntervalSince1970: Double(token.expiresAt)))
        let fields =
            switch token.action {
            case .accept: ""
            case .logCall:
                "<fieldset><legend>How did the call go?</legend>"
                    + ActionPage.callOutcomes.enumerated().map { index, outcome in
                        "<label><input type=\"radio\" name=\"outcome\" value=\"\(outcome)\"\(index == 0 ? " checked" : "")> \(outcome.replacingOccurrences(of: "_", with: " "))</label><br>"
                    }.joined() + "</fieldset>"
            case .reassign:
                "<p><label>Why (optional, the triage queue sees it): <input type=\"text\" name=\"reason\" maxlength=\"\(ActionPage.reasonLimit)\"></label></p>"
            }
        let summary = "\(token.action.label) lead \(token.leadID) as \(token.repID) (this button works until \(expiry))."
        let form = """
            <form method="post" action="/actions/\(esc(text))">\(fields)
            <button type="submit">\(esc(token.action.label))</button></form>
            """
        return (title, summary, "<p>\(esc(summary))</p>\(form)\(handoff)")
    }
}

/// What `/actions/{token}` answers in JSON.
struct ActionAnswer: Encodable, Sendable {
    let status: String
    let action: String
    let leadID: String
    let repID: String
    let eventID: String
    let effects: [String]
    let message: String

    init(status: String, token: ActionToken, eventID: String, effects: [String], message: String) {
        self.status = status
        action = token.action.rawValue
        leadID = token.leadID
        repID = token.repID
        self.eventID = eventID
        self.effects = effects
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case status, action, effects, message
        case leadID = "lead_id", repID = "rep_id", eventID = "event_id"
    }
}

/// A refused press or page: a status, a code and a sentence, as HTML or JSON.
struct ActionRefusal: Error {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func used(_ token: ActionToken, at: Date?) -> ActionRefusal {
        ActionRefusal(
            .conflict, code: "token_used",
            message:
                "this button was already used\(at.map { " at \(EventTime.format($0))" } ?? ""); nothing was changed a second time (lead \(token.leadID))"
        )
    }

    func response(json: Bool) -> Response {
        if json {
            let data = (try? JSONEncoder.sorted.encode(["error": ["code": code, "message": message]])) ?? Data()
            return Response(
                status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return ActionPage.response(status: status, title: status.reasonPhrase, body: "<p>\(xmlEscaped(message))</p>")
    }
}

/// The small HTML pages of `/actions/…`: no script, no third-party anything, not cached.
enum ActionPage {
    static let callOutcomes = ["connected", "voicemail", "no_answer"]
    /// The longest reason a hand-back takes, in characters.
    static let reasonLimit = 500

    /// Why `reason` is refused (nil when it is fine): too long, or holding control characters.
    static func reasonProblem(_ reason: String) -> String? {
        if reason.count > reasonLimit { return "is \(reason.count) characters long; keep it to \(reasonLimit)" }
        if reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "holds control characters (a line break, a tab); write it on one line"
        }
        return nil
    }

    /// The text members of the press's body: a form (`application/x-www-form-urlencoded`, the
    /// page's) or a JSON object (`application/json`, a script's); empty when there is no body.
    static func fields(_ body: Data, contentType: String?) throws(ActionRefusal) -> [String: String] {
        guard contentType?.lowercased().hasPrefix("application/json") == true else { return DashboardSession.formFields(body) }
        if body.isEmpty { return [:] }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw ActionRefusal(.badRequest, code: "invalid_request", message: "the body must be a JSON object")
        }
        var fields: [String: String] = [:]
        for (key, value) in object {
            guard let text = value as? String else {
                throw ActionRefusal(.badRequest, code: "invalid_request", message: "\(key) must be a text value")
            }
            fields[key] = text
        }
        return fields
    }

    static func wantsJSON(_ request: Request) -> Bool {
        request.headers[.accept]?.lowercased().contains("application/json") == true
    }

    static func response(status: HTTPResponse.Status, title: String, body: String) -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="\(DashboardWebApp.iconPath)" type="image/svg+xml">
            <title>Baton: \(xmlEscaped(title))</title></head><body>
            <h1>\(xmlEscaped(title))</h1>
            \(body)
            </body></html>
            """
        return Response(
            status: status, headers: DashboardSession.headers(contentType: "text/html; charset=utf-8", nonce: DashboardSession.nonce()),
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
