import Foundation
import HandoffServer
import TestSupport
import Testing

/// `baton serve --tls-certificate --tls-key` (issue 20: "support TLS"): the real binary with a
/// certificate made by `openssl`, read by an independent TLS client (Python's `ssl`), and the
/// files checked at start with exit 64 naming the file.
@Suite(.serialized) struct TLSServeTests {
    /// A self-signed P-256 certificate for 127.0.0.1, made by the openssl command line tool.
    static func certificate(in folder: URL, name: String = "server") throws -> (certificate: String, key: String) {
        let certificate = folder.appendingPathComponent("\(name).crt.pem").path
        let key = folder.appendingPathComponent("\(name).key.pem").path
        let made = try PythonTooling.run(
            "/usr/bin/env",
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
            ])
        try #require(made.status == 0, "openssl req failed: \(made.output)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        return (certificate, key)
    }

    /// The fixture's store, playbook and model, with the playbook's extra fields declared.
    static func base(_ files: ServiceFixture.Files) throws -> [String] {
        let config = files.folder.appendingPathComponent("serve.json").path
        try #"{"known_fields": ["region", "demo_requests"]}"#.write(toFile: config, atomically: true, encoding: .utf8)
        return ["--db", files.db, "--playbook", files.playbook, "--model", files.model, "--config", config]
    }

    /// `baton serve …` expected to stop at start: its exit status and standard error.
    static func failedStart(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try PythonTooling.run(ServeProcess.executable.path, ["serve", "--port", "0"] + arguments)
    }

    @Test func servesHTTPSOnlyToAClientThatTrustsTheCertificate() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let pem = try Self.certificate(in: files.folder)
        let serve = try await ServeProcess.start(arguments: try Self.base(files) + ["--tls-certificate", pem.certificate, "--tls-key", pem.key])
        defer { serve.stop() }
        let client = """
            import json, ssl, sys, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[2])
            with urllib.request.urlopen(sys.argv[1] + "/health", context=context, timeout=20) as answer:
                print(answer.status, json.loads(answer.read())["status"])
            with context.wrap_socket(__import__("socket").create_connection(("127.0.0.1", int(sys.argv[3]))), server_hostname="127.0.0.1") as s:
                print(s.version())
            try:
                urllib.request.urlopen(sys.argv[1] + "/health", context=ssl.create_default_context(), timeout=20)
                print("untrusted accepted")
            except urllib.error.URLError as error:
                print("untrusted refused", type(error.reason).__name__)
            """
        let port = serve.port
        let answer = try await BlockingWork.run {
            try PythonTooling.run("/usr/bin/env", ["python3", "-c", client, "https://127.0.0.1:\(port)", pem.certificate, String(port)])
        }
        #expect(answer.status == 0, "\(answer.output)")
        let lines = answer.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "200 ok", "\(answer.output)")
        #expect(lines.count > 1 && ["TLSv1.2", "TLSv1.3"].contains(lines[1]), "\(answer.output)")
        #expect(
            lines.last?.hasPrefix("untrusted refused SSLCertVerificationError") == true, "a client that does not trust it refuses: \(answer.output)")
        // Plain HTTP on the TLS port gets no HTTP answer.
        let plain = await serve.request("GET", "/health", token: nil)
        #expect(plain == nil || plain?.status != 200)
    }

    @Test func wrongFilesStopTheStartNamingTheFile() throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let one = try Self.certificate(in: files.folder, name: "one")
        let other = try Self.certificate(in: files.folder, name: "other")
        let base = try Self.base(files)

        let mismatch = try Self.failedStart(base + ["--tls-certificate", one.certificate, "--tls-key", other.key])
        #expect(mismatch.status == 64 && mismatch.output.contains(other.key) && mismatch.output.contains("does not match"), "\(mismatch.output)")

        let onlyCertificate = try Self.failedStart(base + ["--tls-certificate", one.certificate])
        #expect(onlyCertificate.status == 64 && onlyCertificate.output.contains("--tls-key"), "\(onlyCertificate.output)")

        let notPEM = try Self.failedStart(base + ["--tls-certificate", files.model, "--tls-key", one.key])
        #expect(notPEM.status == 64 && notPEM.output.contains(files.model), "\(notPEM.output)")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: one.key)
        let readable = try Self.failedStart(base + ["--tls-certificate", one.certificate, "--tls-key", one.key])
        #expect(readable.status == 64 && readable.output.contains("chmod 600"), "\(readable.output)")
    }

    @Test func plainHTTPBeyondLoopbackIsNamedAsSuch() throws {
        var configuration = ServiceConfiguration()
        for host in ["127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]"] {
            configuration.host = host
            #expect(configuration.bindsLoopbackOnly && configuration.plainHTTPExposureWarning == nil, "\(host)")
        }
        for host in ["0.0.0.0", "::", "10.1.2.3", "baton.internal", "127.0.0.1.example.com", "1270.0.0.1"] {
            configuration.host = host
            #expect(!configuration.bindsLoopbackOnly, "\(host)")
            #expect(configuration.plainHTTPExposureWarning?.contains("--tls-certificate") == true, "\(host)")
        }
        configuration.host = "0.0.0.0"
        configuration.tlsCertificate = "cert.pem"
        configuration.tlsKey = "key.pem"
        #expect(configuration.servesTLS && configuration.plainHTTPExposureWarning == nil)
    }
}
