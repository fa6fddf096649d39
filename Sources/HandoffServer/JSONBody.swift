import Foundation
import ScoringModelFormat

/// Decoding a request body as JSON, with an answer that says where and why when it is not JSON:
/// Foundation's "The given data was not valid JSON." names no position, so on a syntax failure
/// the body is read once more by the strict RFC 8259 parser of ``CanonicalJSON``, which reports
/// the byte offset (turned into line and column here), an empty body, or nesting beyond 512 levels.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let located = syntaxProblem(body) {
                throw APIError(.badRequest, code: "invalid_json", message: "the request body \(located)", field: "(body)")
            }
            throw APIError.invalid(error.fieldPath, error.problem)
        }
    }

    /// Why `body` is not JSON, with its line and column; nil when it is.
    static func syntaxProblem(_ body: Data) -> String? {
        let bytes = [UInt8](body)
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            return "is empty; send one JSON event object, or an array of them, with Content-Type: application/json"
        }
        do {
            _ = try CanonicalJSON.parse(bytes)
            return nil
        } catch CanonicalJSONError.syntax(let offset, let detail) {
            let before = bytes.prefix(offset)
            let line = before.filter { $0 == 0x0A }.count + 1
            let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            return "is not valid JSON at line \(line), column \(column) (byte \(offset)): \(detail)"
        } catch {
            return nil
        }
    }
}
