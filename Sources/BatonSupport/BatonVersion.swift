/// The one place Baton's version is written: weight files record it (`tool_version`), `baton
/// --version` prints it, and every outbound HTTP request names it in `User-Agent` (RFC 9110
/// §10.1.5: `product/version`), where swift-corelibs-foundation would say "baton (unknown version)".
package enum BatonVersion {
    /// Semantic version of this build.
    package static let number = "0.1.0"
    /// `baton 0.1.0`, as weight files and `--version` show it.
    package static var tool: String { "baton \(number)" }
    /// `baton/0.1.0`, the `User-Agent` of alert and CRM sync deliveries.
    package static var userAgent: String { "baton/\(number)" }
}
