import Foundation
import Hummingbird
import ScoringModelFormat

/// JSON bodies from typed (Encodable) responses: sorted keys, slashes as written (the response
/// types carry their instants as ``EventTime`` strings). Stored JSON (reasons, evidence, lead fields) is embedded as a
/// `JSONValue`, so it reaches the client as it was stored.
enum JSONResponse {
    static func make(_ body: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(body)) ?? Data(#"{"error":{"code":"internal","message":"the response could not be encoded"}}"#.utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Stored JSON text as a value for embedding (null when it does not parse).
    static func embed(_ text: String) -> JSONValue {
        (try? CanonicalJSON.parse(Array(text.utf8))) ?? .null
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// An optional member that is written as `null` rather than left out: the API documents every
/// key of a body, present or not.
@propertyWrapper
struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension Request {
    /// The body, refused with 413 (naming the limit) when larger than `limit` bytes.
    func bodyBytes(limit: Int) async throws -> Data {
        var copy = self
        do {
            let buffer = try await copy.collectBody(upTo: limit)
            return Data(buffer: buffer)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // NIO's NIOTooManyBytesError (what collectBody throws) answers 413 with an empty body.
            throw APIError(
                .contentTooLarge, code: "body_too_large",
                message: "the request body is larger than \(limit) bytes; split the batch or raise max_body_bytes", field: "(body)")
        }
    }
}
