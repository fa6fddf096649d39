import Foundation
import HandoffServer
import Testing

@Suite struct ConfigurationTests {
    @Test func fileThenEnvironmentThenFlags() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-config-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try
            #"{"db": "file.sqlite", "port": 9000, "host": "0.0.0.0", "max_batch_events": 50, "alert_channels": {"ana": {"kind": "slack", "url": "http://x/y"}}}"#
            .write(to: file, atomically: true, encoding: .utf8)
        var c = try ServiceConfiguration.load(file: file.path)
        #expect(c.db == "file.sqlite" && c.port == 9000 && c.maxBatchEvents == 50 && c.tickIntervalSeconds == 5)
        #expect(c.alertChannels["ana"] == AlertChannel(kind: .slack, url: "http://x/y"))
        try c.applyEnvironment(["BATON_PORT": "9100", "BATON_DB": "env.sqlite", "PATH": "/bin"])
        #expect(c.port == 9100 && c.db == "env.sqlite" && c.host == "0.0.0.0")
        #expect(c.legacyTokensFile == "env.sqlite.tokens.json")
        // A PostgreSQL URL has no folder beside it: no old token file unless one is named.
        try c.applyEnvironment(["BATON_DB": "postgres://baton@db.internal:5432/baton"])
        #expect(c.legacyTokensFile == nil)
        try c.applyEnvironment(["BATON_TOKENS_FILE": "/etc/baton/tokens.json"])
        #expect(c.legacyTokensFile == "/etc/baton/tokens.json")
    }

    /// The description of the error `body` throws, or nil when it does not throw.
    func message(_ body: () throws(ServiceError) -> Void) -> String? {
        do {
            try body()
            return nil
        } catch { return error.description }
    }

    @Test func badSettingsNameTheirKey() throws {
        var c = ServiceConfiguration()
        let env = message { () throws(ServiceError) in try c.applyEnvironment(["BATON_PORT": "eighty"]) }
        #expect(env == "configuration environment `BATON_PORT` `eighty` is not a number.")
        let noDB = message { () throws(ServiceError) in _ = try c.validated() }
        #expect(noDB?.contains("`db` is required") == true)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-config-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"db": "x", "port": "eighty"}"#.write(to: file, atomically: true, encoding: .utf8)
        let wrongType = message { () throws(ServiceError) in _ = try ServiceConfiguration.load(file: file.path) }
        #expect(wrongType?.contains("`port` has the wrong type") == true)
        // A key the service does not read is refused with the nearest one, never ignored.
        try #"{"db": "x", "webhook_secret_fle": "/etc/baton/whsec"}"#.write(to: file, atomically: true, encoding: .utf8)
        let unknown = message { () throws(ServiceError) in _ = try ServiceConfiguration.load(file: file.path) }
        #expect(unknown?.contains("`webhook_secret_fle` is not a configuration key; did you mean `webhook_secret_file`?") == true, "\(unknown ?? "")")
        c.db = "x"
        c.port = 70000
        let badPort = message { () throws(ServiceError) in _ = try c.validated() }
        #expect(badPort?.contains("`port` must be 0…65535") == true)
    }

    @Test func serveWithoutADatabaseExitsWithUsageError() throws {
        let p = Process()
        p.executableURL = ServeProcess.executable
        p.arguments = ["serve", "--port", "0"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "BATON_DB")
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 64)
        #expect(text.contains("`db` is required: pass --db FILE"))
    }
}
