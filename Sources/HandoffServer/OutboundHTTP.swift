import AsyncHTTPClient
import BatonSupport
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP request Baton sends (a webhook POST, a CRM write-back PATCH) and the answer it got.
///
/// http(s) only, 10 seconds per attempt, redirects followed only within the same origin (scheme,
/// host, port): a receiver cannot bounce a message, with its lead id, to another host, nor a
/// configured URL reach `file:` or another scheme.
package struct OutboundRequest: Sendable {
    var method: String
    var url: String
    var headers: [(name: String, value: String)]
    var body: Data

    /// What the receiver answered: enough to decide between delivered, retry and dead letter.
    package struct Answer: Sendable, Hashable {
        package var status: Int
        /// The `Retry-After` header as sent (RFC 9110 §10.2.3: seconds or an HTTP date), if any.
        package var retryAfter: String?
        /// The start of the body, as printable text (for `last_error`).
        package var bodyExcerpt: String

        package init(status: Int, retryAfter: String? = nil, bodyExcerpt: String = "") {
            self.status = status
            self.retryAfter = retryAfter
            self.bodyExcerpt = bodyExcerpt
        }
    }

    /// The most body text kept from an answer (the CRM's error message fits; a page does not).
    static let excerptLimit = 500
    /// Same-origin redirects followed before the last 3xx is taken as the answer.
    static let redirectLimit = 5
    /// One attempt, redirects included, until the answer's head has come (AsyncHTTPClient's
    /// deadline); the client's read timeout bounds each wait for the body's bytes after it.
    static let attemptLimit = TimeAmount.seconds(10)

    /// Sends the request once; throws only when no HTTP answer came (bad URL, network, timeout).
    func send() async throws -> Answer {
        guard let first = Self.target(url) else {
            throw DeliveryError.misconfigured(target: url, key: "url (an http:// or https:// URL)")
        }
        let deadline = NIODeadline.now() + Self.attemptLimit
        var (target, method, body) = (first, method, body)
        var redirects = 0
        while true {
            var request = HTTPClientRequest(url: target.absoluteString)
            request.method = HTTPMethod(rawValue: method)
            request.headers.replaceOrAdd(name: "User-Agent", value: BatonVersion.userAgent)
            for header in headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
            if !body.isEmpty || method != "GET" { request.body = .bytes(ByteBuffer(bytes: body)) }
            let response = try await outboundClient.execute(request, deadline: deadline)
            let status = Int(response.status.code)
            if redirects < Self.redirectLimit,
                let next = Self.redirect(status: status, location: response.headers.first(name: "location"), from: target, method: method),
                Self.sameOrigin(first, next.url)
            {
                _ = try? await Self.prefix(of: response.body, limit: 0)  // the 3xx's own body is not wanted
                (target, method) = (next.url, next.method)
                if next.method == "GET" { body = Data() }
                redirects += 1
                continue
            }
            let excerpt = try await Self.prefix(of: response.body, limit: Self.excerptLimit * 4)
            return Answer(status: status, retryAfter: response.headers.first(name: "retry-after"), bodyExcerpt: Self.excerpt(excerpt))
        }
    }

    /// `url` when it is an absolute http or https URL with a host.
    static func target(_ url: String) -> URL? {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme),
            target.host?.isEmpty == false
        else { return nil }
        return target
    }

    /// Where a redirect answer points and with which method, as Foundation's URLSession did
    /// (RFC 9110 §15.4): 301 and 302 turn a POST into a GET, 303 turns any method into a GET,
    /// 307 and 308 keep the method and the body. Nil for any other status, or without a usable
    /// `Location` (resolved against the request's URL when relative).
    static func redirect(status: Int, location: String?, from target: URL, method: String) -> (url: URL, method: String)? {
        guard let location, let resolved = URL(string: location, relativeTo: target)?.absoluteURL,
            let next = Self.target(resolved.absoluteString)
        else { return nil }
        switch status {
        case 301, 302: return (next, method == "POST" ? "GET" : method)
        case 303: return (next, "GET")
        case 307, 308: return (next, method)
        default: return nil
        }
    }

    /// Same scheme, host and port (a missing port is the scheme's default).
    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        guard let scheme = a.scheme?.lowercased(), scheme == b.scheme?.lowercased(),
            let host = a.host?.lowercased(), host == b.host?.lowercased()
        else { return false }
        let defaultPort = scheme == "https" ? 443 : 80
        return (a.port ?? defaultPort) == (b.port ?? defaultPort)
    }

    /// The first `limit` bytes of a response body; the rest is left unread (the connection is
    /// then closed rather than reused, so a large page never costs more than its start).
    static func prefix(of body: HTTPClientResponse.Body, limit: Int) async throws -> Data {
        var kept = Data()
        for try await chunk in body {
            kept.append(contentsOf: chunk.readableBytesView.prefix(limit - kept.count))
            if kept.count >= limit { break }
        }
        return kept
    }

    /// The first ``excerptLimit`` characters of `data` as one line of printable text.
    package static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(excerptLimit * 4), as: UTF8.self)
        let printable = String(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) })
        let trimmed = printable.trimmingCharacters(in: .whitespaces)
        return trimmed.count > excerptLimit ? String(trimmed.prefix(excerptLimit)) + "…" : trimmed
    }
}

/// The client every outbound delivery uses (see ``OutboundRequest/send()``): the process's
/// shared SwiftNIO event loops, no redirects of its own (``OutboundRequest`` follows only
/// same-origin ones), 10 s to connect and between reads, no proxy, the system's CA roots.
/// It lives as long as the process.
let outboundClient: HTTPClient = {
    let configuration = HTTPClient.Configuration(
        redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(10)))
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
}()

/// Why one delivery attempt failed without an HTTP answer, or could not be made (recorded on the
/// outbox row as `last_error`).
enum DeliveryError: Error, CustomStringConvertible {
    case noChannel(target: String)
    case misconfigured(target: String, key: String)
    /// The CRM write-back cannot name the CRM record of a lead.
    case noRecordID(leadID: String, problem: String)

    var description: String {
        switch self {
        case .noChannel(let target): "no alert channel for '\(target)': add it under alert_channels or set default_channel"
        case let .misconfigured(target, key): "channel for '\(target)' lacks `\(key)`"
        case let .noRecordID(lead, problem): "lead '\(lead)' has no CRM record id: \(problem)"
        }
    }
}
