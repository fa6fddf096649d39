import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import Hummingbird

extension HandoffService {
    func addTokenRoutes(to router: Hummingbird.Router<ServiceContext>) {
        router.get("/tokens") { _, context in
            _ = try context.require(.admin)
            let all = try await self.tokens.all()
            let now = self.now()
            return JSONResponse.make(
                TokenList(
                    tokens: all.map {
                        .init(
                            name: $0.name, role: $0.role, createdAt: EventTime.format($0.createdAt), expiresAt: $0.expiresAt.map(EventTime.format),
                            expired: $0.isExpired(at: now))
                    }))
        }
        // Issues a token; its text is in this response only (the service keeps its hash).
        router.post("/tokens") { request, context in
            _ = try context.require(.admin)
            let body = try await request.bodyBytes(limit: context.bodyLimit)
            let request = try JSONBody.decode(TokenRequest.self, from: body)
            let now = self.now()
            if let expiresAt = request.expiresAt, expiresAt <= now {
                // Well-formed but refused for the moment it names: 422, as for events the state refuses.
                throw APIError(
                    .unprocessableContent, code: "expiry_not_in_future",
                    message: "expires_at is \(EventTime.format(expiresAt)), not in the future (now \(EventTime.format(now))); give a later time",
                    field: "expires_at")
            }
            do {
                let token = try await self.tokens.issue(name: request.name, role: request.role, at: now, expiresAt: request.expiresAt)
                let until = request.expiresAt.map { ", expiring \(EventTime.format($0))" } ?? ""
                self.logger.info("token '\(request.name)' issued with role \(request.role.rawValue)\(until)")
                return JSONResponse.make(
                    IssuedToken(name: request.name, role: request.role, token: token, expiresAt: request.expiresAt.map(EventTime.format)),
                    status: .created)
            } catch StoreError.conflictingRecord {
                throw APIError(
                    .conflict, code: "token_exists",
                    message: "a token named '\(request.name)' exists; revoke it first or pick another name", field: "name")
            }
        }
        router.delete("/tokens/{name}") { _, context in
            _ = try context.require(.admin)
            let name = try context.pathIdentifier("name")
            // The last admin token is the only way to issue or revoke tokens over HTTP: removing it
            // would lock every operator out (`baton tokens` on the store is the way back).
            let entries = try await self.tokens.all()
            if entries.first(where: { $0.name == name })?.role == .admin, entries.filter({ $0.role == .admin }).count == 1 {
                throw APIError(
                    .conflict, code: "last_admin_token",
                    message: "'\(name)' is the last admin token; issue another admin token first, then revoke this one", field: "name")
            }
            guard try await self.tokens.revoke(name: name) else { throw APIError.notFound("no token named '\(name)'") }
            return Response(status: .noContent)
        }
    }
}

/// Body of POST /tokens.
struct TokenRequest: Decodable {
    let name: String
    let role: Role
    /// When the token stops working; absent or null: never.
    let expiresAt: Date?

    enum CodingKeys: String, CodingKey {
        case name, role
        case expiresAt = "expires_at"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .name).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.unicodeScalars.count <= 64 else {
            throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription: "must be 1…64 characters")
        }
        if let problem = Identifier.problem(name) { throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription: problem) }
        let raw = try c.decode(String.self, forKey: .role)
        guard let role = Role(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                forKey: .role, in: c,
                debugDescription: "`\(raw)` is not a role; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.name = name
        self.role = role
        if let text = try c.decodeIfPresent(String.self, forKey: .expiresAt) {
            guard let date = EventTime.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .expiresAt, in: c, debugDescription: "`\(text)` is not an RFC 3339 date-time such as 2027-01-31T00:00:00Z")
            }
            expiresAt = date
        } else {
            expiresAt = nil
        }
    }
}

/// `GET /tokens`: names and roles, never the tokens.
struct TokenList: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        let name: String
        let role: Role
        let createdAt: String
        /// Null: never expires.
        let expiresAt: String?
        let expired: Bool

        enum CodingKeys: String, CodingKey {
            case name, role, expired
            case createdAt = "created_at"
            case expiresAt = "expires_at"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(role, forKey: .role)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(expiresAt, forKey: .expiresAt)  // null rather than absent: "never" is an answer
            try c.encode(expired, forKey: .expired)
        }
    }

    let tokens: [Entry]
}

/// `POST /tokens`: the token's text, shown in this response only.
struct IssuedToken: Encodable, Sendable {
    let name: String
    let role: Role
    let token: String
    let expiresAt: String?

    enum CodingKeys: String, CodingKey {
        case name, role, token
        case expiresAt = "expires_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(role, forKey: .role)
        try c.encode(token, forKey: .token)
        try c.encode(expiresAt, forKey: .expiresAt)
    }
}
