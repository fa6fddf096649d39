import Foundation
import HTTPTypes
import Hummingbird

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP server on a free loopback port that records POST bodies by path; `/dead` answers 500.
actor FakeWebhook {
    private(set) var received: [(path: String, body: String)] = []
    /// The `User-Agent` of each recorded request, in order.
    private(set) var userAgents: [String] = []
    /// The Standard Webhooks headers of each recorded request (`webhook-id`, `webhook-timestamp`,
    /// `webhook-signature`; absent when unsigned) and its `content-type`, in order.
    private(set) var signatureHeaders: [[String: String]] = []
    private var task: Task<Void, any Error>?
    private(set) var port = 0

    func record(_ path: String, _ body: String, userAgent: String = "", signature: [String: String] = [:]) {
        received.append((path, body))
        userAgents.append(userAgent)
        signatureHeaders.append(signature)
    }

    func start() async throws {
        let router = Router()
        router.post("/dead") { _, _ in Response(status: .internalServerError) }
        // 307 keeps the method and body: to the same origin, and to another host (localhost ≠ 127.0.0.1).
        router.post("/here") { _, _ in
            Response(status: .temporaryRedirect, headers: [.location: "http://127.0.0.1:\(await self.port)/landed"])
        }
        router.post("/away") { _, _ in
            Response(status: .temporaryRedirect, headers: [.location: "http://localhost:\(await self.port)/landed"])
        }
        // A same-origin redirect to itself, for ever; and a 1 MiB error page.
        router.post("/loop") { _, _ in
            Response(status: .temporaryRedirect, headers: [.location: "/loop"])
        }
        router.post("/big") { _, _ in
            Response(
                status: .badRequest, headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: "<p>\n" + String(repeating: "x", count: 1 << 20))))
        }
        router.post("{path}") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            var signature: [String: String] = [:]
            for name in ["webhook-id", "webhook-timestamp", "webhook-signature", "content-type"] {
                if let field = HTTPField.Name(name), let value = request.headers[field] { signature[name] = value }
            }
            await self.record(
                "/" + (context.parameters.get("path") ?? ""), String(buffer: body), userAgent: request.headers[.userAgent] ?? "", signature: signature
            )
            return Response(status: .ok)
        }
        (task, port) = await LoopbackServer.start(router)
    }

    func stop() { task?.cancel() }
}

/// Runs `router` on a free loopback port; returns the server's task (cancel it to stop) and the port.
enum LoopbackServer {
    static func start(_ router: Router<BasicRequestContext>) async -> (Task<Void, any Error>, Int) {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        for await port in stream { return (task, port) }
        return (task, 0)
    }
}

/// An SMTP server on a free loopback port that accepts mail and keeps each DATA section.
final class FakeSMTPServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var messages: [String] = []
    private var envelope: [String] = []

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            port = 0
            throw FixtureError("fake SMTP server cannot listen")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in serve() }
    }

    var received: [String] { lock.withLock { messages } }
    var commands: [String] { lock.withLock { envelope } }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        func say(_ line: String) { _ = line.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }
        var buffer = [UInt8]()
        func readLine() -> String? {
            while true {
                if let i = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[..<i], as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
                    buffer.removeFirst(i + 1)
                    return line
                }
                var chunk = [UInt8](repeating: 0, count: 512)
                let n = recv(client, &chunk, 512, 0)
                guard n > 0 else { return nil }
                buffer += chunk[..<n]
            }
        }
        say("220 fake.smtp ESMTP\r\n")
        while let line = readLine() {
            lock.withLock { envelope.append(line) }
            let verb = line.uppercased()
            if verb.hasPrefix("EHLO") {
                say("250-fake.smtp\r\n250 8BITMIME\r\n")
            } else if verb.hasPrefix("MAIL FROM") || verb.hasPrefix("RCPT TO") {
                say("250 OK\r\n")
            } else if verb == "DATA" {
                say("354 go ahead\r\n")
                var lines: [String] = []
                while let l = readLine(), l != "." { lines.append(l) }
                lock.withLock { messages.append(lines.joined(separator: "\n")) }
                say("250 queued\r\n")
            } else if verb == "QUIT" {
                say("221 bye\r\n")
                return
            } else {
                say("502 unknown\r\n")
            }
        }
    }
}
