import Foundation
import Hummingbird

/// JSON bodies built from plain dictionaries, so stored JSON (reasons, evidence) is embedded as is.
enum JSONResponse {
    static func make(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Stored JSON text as a JSON object for embedding (null when it does not parse).
    static func embed(_ text: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? NSNull()
    }

    static func time(_ date: Date?) -> Any { date.map(ISOTime.format) ?? NSNull() }
}

extension Request {
    /// The body, refused with 413 (naming the limit) when larger than `limit` bytes.
    func bodyBytes(limit: Int) async throws -> Data {
        var copy = self
        do {
            let buffer = try await copy.collectBody(upTo: limit)
            return Data(buffer: buffer)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "the request body is larger than \(limit) bytes; split the batch or raise max_body_bytes", field: "(body)")
        }
    }
}
