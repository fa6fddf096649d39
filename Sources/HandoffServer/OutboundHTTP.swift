import BatonSupport
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

    /// Sends the request once; throws only when no HTTP answer came (bad URL, network, timeout).
    func send() async throws -> Answer {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme),
            target.host?.isEmpty == false
        else { throw DeliveryError.misconfigured(target: url, key: "url (an http:// or https:// URL)") }
        var request = URLRequest(url: target, timeoutInterval: 10)
        request.httpMethod = method
        request.setValue(BatonVersion.userAgent, forHTTPHeaderField: "User-Agent")
        for header in headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        request.httpBody = body
        // A completion-handler task, not `data(for:)`: swift-corelibs-foundation traps ("Trying to
        // access a behaviour for a task that in not in the registry") when a Swift task cancels an
        // async data task of a session with a delegate. The 10 s timeout still bounds the wait.
        return try await withCheckedThrowingContinuation { continuation in
            deliverySession.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                } else {
                    let http = response as? HTTPURLResponse
                    continuation.resume(
                        returning: Answer(
                            status: http?.statusCode ?? 0, retryAfter: http?.value(forHTTPHeaderField: "Retry-After"),
                            bodyExcerpt: Self.excerpt(data ?? Data())))
                }
            }.resume()
        }
    }

    /// The first ``excerptLimit`` characters of `data` as one line of printable text.
    package static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(excerptLimit * 4), as: UTF8.self)
        let printable = String(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) })
        let trimmed = printable.trimmingCharacters(in: .whitespaces)
        return trimmed.count > excerptLimit ? String(trimmed.prefix(excerptLimit)) + "…" : trimmed
    }
}

/// The session every outbound delivery uses (see ``OutboundRequest/send()``).
let deliverySession: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = 10
    configuration.timeoutIntervalForResource = 30
    return URLSession(configuration: configuration, delegate: SameOriginRedirects(), delegateQueue: nil)
}()

/// Follows a redirect only to the same scheme, host and port; any other answers as the 3xx it is.
final class SameOriginRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(Self.sameOrigin(task.originalRequest?.url, request.url) ? request : nil)
    }

    static func sameOrigin(_ a: URL?, _ b: URL?) -> Bool {
        guard let a, let b, let scheme = a.scheme?.lowercased(), scheme == b.scheme?.lowercased(),
            let host = a.host?.lowercased(), host == b.host?.lowercased()
        else { return false }
        let defaultPort = scheme == "https" ? 443 : 80
        return (a.port ?? defaultPort) == (b.port ?? defaultPort)
    }
}

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
