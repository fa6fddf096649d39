import Foundation

/// One HTTP request from a vendor, as an adapter needs it to verify and read it: nothing of the
/// HTTP server reaches the adapters, so they are pure functions of this value.
package struct IntegrationRequest: Sendable {
    /// The method as sent (`POST`).
    package var method: String
    /// The full URI the vendor called, as it signed it (`https://baton.example.com/integrations/hubspot?x=1`):
    /// the service's public base URL (configuration) followed by the request's path and query.
    package var uri: String
    /// Header values by lower-cased name (a repeated header's values joined by `, `).
    package var headers: [String: String]
    /// The raw body, exactly as received (signatures cover these bytes).
    package var body: Data
    /// When the request arrived (timestamps are judged against it).
    package var receivedAt: Date

    package init(method: String, uri: String, headers: [String: String], body: Data, receivedAt: Date) {
        self.method = method
        self.uri = uri
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
        self.body = body
        self.receivedAt = receivedAt
    }

    /// The value of header `name` (any case), nil when absent.
    package func header(_ name: String) -> String? { headers[name.lowercased()] }
}
