import BatonSupport
import Foundation
import Hummingbird

extension ServiceContext {
    /// The path parameter `name` (`/leads/{id}`), percent-decoded (RFC 3986 §2.1: a lead `L 1/a`
    /// arrives as `L%201%2Fa`), and checked as an ``Identifier``, so every route reads the id
    /// the event stored, and a malformed one is a 400 naming the parameter, never a 404 or a 500.
    func pathIdentifier(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        // Trimmed as event ids and token names are when they are stored, so `GET /leads/%20L1`
        // reads the lead that `"lead_id": " L1"` created.
        guard let decoded = raw.removingPercentEncoding?.trimmingCharacters(in: .whitespaces) else {
            throw APIError(
                .badRequest, code: "invalid_request",
                message: "path parameter \(name) `\(raw)` is not valid percent-encoding (RFC 3986 §2.1); encode each UTF-8 byte as %XX", field: name)
        }
        if let problem = Identifier.problem(decoded) {
            throw APIError(.badRequest, code: "invalid_request", message: "path parameter \(name) \(problem)", field: name)
        }
        return decoded
    }
}
