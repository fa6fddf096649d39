import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal SMTP client (RFC 5321: EHLO/HELO, MAIL FROM, RCPT TO, DATA, QUIT) for a local
/// relay without authentication or TLS. Blocking socket I/O with 10-second timeouts runs on a
/// dispatch queue, never on the server's event loops.
package struct SMTPClient: Sendable {
    package let host: String
    package let port: Int
    package let from: String

    package init(host: String, port: Int, from: String) {
        self.host = host
        self.port = port
        self.from = from
    }

    /// Sends one plain-text mail (built by ``MailMessage``, so no input can add a header or an
    /// SMTP command); throws ``MailAddressError`` for an unusable address and ``SMTPError`` with
    /// the server's reply when it refuses.
    package func send(to: String, subject: String, body: String) async throws {
        let message = try MailMessage(from: from, to: to, subject: subject, body: body)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                do {
                    try self.sendBlocking(to: message.to, message: message.dataPayload)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    func sendBlocking(to: String, message: String) throws {
        let connection = try SMTPConnection(host: host, port: port)
        defer { connection.close() }
        try connection.expect(220)
        try connection.command("EHLO baton.local", expect: 250)
        try connection.command("MAIL FROM:<\(from)>", expect: 250)
        try connection.command("RCPT TO:<\(to)>", expect: 250, 251)
        try connection.command("DATA", expect: 354)
        try connection.write(message)
        try connection.expect(250)
        try? connection.command("QUIT", expect: 221)
    }
}

/// An SMTP server's refusal or a connection failure.
package enum SMTPError: Error, CustomStringConvertible, Equatable {
    case connect(host: String, port: Int, reason: String)
    case io(String)
    case reply(command: String, code: Int, text: String)

    package var description: String {
        switch self {
        case let .connect(host, port, reason): "cannot connect to SMTP server \(host):\(port): \(reason)"
        case .io(let reason): "SMTP connection failed: \(reason)"
        case let .reply(command, code, text): "SMTP server answered \(code) \(text) to \(command)"
        }
    }
}

/// One blocking TCP connection speaking SMTP's line protocol.
final class SMTPConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var lastCommand = "greeting"

    init(host: String, port: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
            throw SMTPError.connect(host: host, port: port, reason: "host not found")
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw SMTPError.connect(host: host, port: port, reason: String(cString: strerror(errno))) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = Glibc.close(fd)
            throw SMTPError.connect(host: host, port: port, reason: reason)
        }
        self.fd = fd
    }

    func close() { _ = Glibc.close(fd) }

    func write(_ text: String) throws {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw SMTPError.io("write failed: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    func command(_ line: String, expect codes: Int...) throws {
        lastCommand = line.split(separator: " ").first.map(String.init) ?? line
        try write(line + "\r\n")
        try expect(codes)
    }

    func expect(_ codes: Int...) throws { try expect(codes) }

    /// Reads a (possibly multi-line, `250-…`) reply and checks its code.
    func expect(_ codes: [Int]) throws {
        while true {
            let line = try readLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPError.io("malformed reply to \(lastCommand)") }
            let more = line.count > 3 && line[line.index(line.startIndex, offsetBy: 3)] == "-"
            if more { continue }
            guard codes.contains(code) else {
                throw SMTPError.reply(command: lastCommand, code: code, text: String(line.dropFirst(4)))
            }
            return
        }
    }

    private func readLine() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: 0x0A) {
                var line = Array(buffer[..<i])
                buffer.removeFirst(i + 1)
                if line.last == 0x0D { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 1024)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 1024, 0) }
            guard n > 0 else { throw SMTPError.io(n == 0 ? "server closed the connection" : "read failed: \(String(cString: strerror(errno)))") }
            buffer += chunk[..<n]
        }
    }
}
