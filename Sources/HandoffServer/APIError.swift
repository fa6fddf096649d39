import BatonSupport
import Foundation
import HandoffFlow
import Hummingbird

/// An error answer: `{"error": {"code": …, "message": …, "field": …}}` with the HTTP status.
///
/// `field` names the JSON member at fault (`[3].occurred_at`), so a sender can fix its payload
/// without reading logs. Messages carry ids and field names, never field values of a lead.
package struct APIError: HTTPResponseError, Sendable {
    package let status: HTTPResponse.Status
    package let code: String
    package let message: String
    package let field: String?
    /// Extra headers (e.g. `WWW-Authenticate`).
    var headers: HTTPFields = [:]

    package init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: String] = ["code": code, "message": message]
        if let field { body["field"] = field }
        let data = (try? JSONEncoder.sorted.encode(["error": body])) ?? Data(#"{"error":{"code":"internal"}}"#.utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// 401 with the `WWW-Authenticate` challenge (RFC 6750 §3; `error="invalid_token"` when a
    /// token was presented but is unknown or expired).
    static func unauthorized(_ message: String, code: String = "unauthorized", presented: Bool = false) -> APIError {
        var e = APIError(.unauthorized, code: code, message: message, field: "Authorization")
        e.headers[.wwwAuthenticate] = presented ? #"Bearer realm="baton", error="invalid_token""# : #"Bearer realm="baton""#
        return e
    }

    static func invalid(_ field: String, _ problem: String) -> APIError {
        APIError(.badRequest, code: "invalid_request", message: "field \(field) \(problem)", field: field)
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message: message) }
}

extension JSONEncoder {
    /// Sorted keys (`/` escaped as `\/`), ISO 8601 dates: stable bodies for error answers and
    /// the alert and CRM sync payloads. Built once; encoding is safe from any task.
    static let sorted: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(EventTime.format(date))
        }
        return e
    }()
}
