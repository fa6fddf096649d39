import BatonSupport
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// How a browser gets into the dashboard (a browser cannot send a bearer header on navigation).
///
/// `GET /dashboard?token=…` never sets a cookie: it answers a small page whose form POSTs the
/// token to `POST /dashboard/session` (submitted by the page's script, so the README's link still
/// opens the dashboard in one step). The POST checks that it comes from this origin (`Origin`
/// or `Sec-Fetch-Site`), that the token is well formed and known, then sets the cookie and
/// redirects to the clean URL. When the browser already holds a session for another token, the
/// page asks before replacing it: a link carrying someone else's token cannot silently sign a
/// user into that session (login CSRF). Every dashboard page carries a nonce-based CSP,
/// `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer` and `Cache-Control: no-store`.
enum DashboardSession {
    static let cookieName = "baton_token"
    /// Twelve hours: a working day; the cookie is only the token, which stays revocable.
    static let cookieMaxAge = 43_200

    /// A token as ``TokenRegistry`` issues it: `bt_` and 64 lower-case hex digits. Anything else
    /// (a `;` that would add cookie attributes, CR/LF, spaces) never reaches a header.
    static func isWellFormed(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        return bytes.count == 67 && token.hasPrefix("bt_")
            && bytes.dropFirst(3).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The `baton_token` cookie of the request, when well formed.
    static func cookieToken(_ request: Request) -> String? {
        guard let cookie = request.headers[.cookie] else { return nil }
        for pair in cookie.split(separator: ";") {
            let kv = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == cookieName, isWellFormed(String(kv[1])) { return String(kv[1]) }
        }
        return nil
    }

    /// True when the request comes from a page of this service: `Sec-Fetch-Site: same-origin`
    /// (Fetch Metadata, sent by current browsers), else an `Origin` whose host and port are the
    /// request's authority. The page's `Referrer-Policy: no-referrer` makes browsers send
    /// `Origin: null` on its form, so `null` counts only with `Sec-Fetch-Site`. A request with
    /// neither header (curl, a script) is allowed: a cross-site browser form always carries one.
    static func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[.secFetchSite] { return site == "same-origin" }
        guard let origin = request.headers[.origin] else { return true }
        guard let url = URL(string: origin), let host = url.host, let requestHost = request.head.authority else { return false }
        let shown = url.port.map { "\(host):\($0)" } ?? host
        return shown.lowercased() == requestHost.lowercased()
    }

    /// A fresh CSP nonce (128 random bits, base64).
    static func nonce() -> String {
        Data(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }).base64EncodedString()
    }

    /// The security headers of every dashboard page; `nonce` allows the page's one inline script.
    static func headers(contentType: String, nonce: String) -> HTTPFields {
        [
            .contentType: contentType,
            .contentSecurityPolicy:
                "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .xFrameOptions: "DENY", .xContentTypeOptions: "nosniff", .referrerPolicy: "no-referrer", .cacheControl: "no-store",
        ]
    }

    /// The page behind `GET /dashboard?token=…`: a form that POSTs the token; submitted by its
    /// script unless `signedInAs` names another token's session, then it asks first.
    static func exchangePage(token: String, week: String?, signedInAs other: String?, tokenName: String?, nonce: String) -> String {
        let esc = { xmlEscaped($0) }
        let weekField = week.map { "<input type=\"hidden\" name=\"week\" value=\"\(esc($0))\">" } ?? ""
        let question =
            other.map {
                "<p>This browser is signed in to the dashboard as <b>\(esc($0))</b>. Switch to the token <b>\(esc(tokenName ?? "?"))</b>?</p>"
            }
            ?? "<p>Opening the dashboard…</p>"
        let script = other == nil ? "<script nonce=\"\(nonce)\">document.getElementById(\"open\").submit();</script>" : ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="\(DashboardWebApp.iconPath)" type="image/svg+xml">
            <title>Baton dashboard</title></head><body>
            \(question)
            <form id="open" method="post" action="/dashboard/session">
            <input type="hidden" name="token" value="\(esc(token))">\(weekField)
            <button type="submit">Open the dashboard</button></form>
            \(script)
            </body></html>
            """
    }

    /// `application/x-www-form-urlencoded` fields (WHATWG URL §5.1: `+` is a space, then percent-decoding).
    static func formFields(_ body: Data) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String? { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let key = kv.first.flatMap(decode) else { continue }
            fields[key] = kv.count == 2 ? decode(kv[1]) ?? "" : ""
        }
        return fields
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
