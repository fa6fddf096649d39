import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `baton serve` on an SQLite store that stops taking writes, for a reason outside the
/// service: another process holds the write lock, or the disk is full (issue 20's audit, now
/// tests). Every write answers 503 with a JSON error and stores nothing; `/health` (a read) stays
/// 200 while `/ready` (a write) says 503; once the cause is gone, the same events are accepted
/// without a restart, and the file passes SQLite's integrity check.
@Suite(.serialized) struct StoreFaultTests {
    static func lead(_ id: String) -> Data {
        let e: [String: Any] = [
            "event_id": "f-\(id)", "type": "lead_created", "lead_id": id, "occurred_at": "2026-03-02T10:00:00Z",
            "fields": [
                "company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 2, "notes": String(repeating: "n", count: 2000),
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: e)) ?? Data()
    }

    static func arguments(_ files: ServiceFixture.Files, db: String) throws -> [String] {
        let config = files.folder.appendingPathComponent("serve.json").path
        try #"{"known_fields": ["region", "demo_requests", "notes"]}"#.write(toFile: config, atomically: true, encoding: .utf8)
        return ["--db", db, "--playbook", files.playbook, "--model", files.model, "--config", config]
    }

    /// `python3 -c …` with the standard library's sqlite3 (an independent SQLite client).
    static func python(_ script: String, _ arguments: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        return process
    }

    static func integrityCheck(_ db: String) throws -> String {
        let process = try python("import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])", [db])
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func errorCode(_ body: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]).flatMap { ($0["error"] as? [String: Any])?["code"] as? String }
    }

    static func status(_ body: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["status"] as? String
    }

    @Test func aWriteLockHeldByAnotherProcessAnswers503ThenRecovers() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let serve = try await ServeProcess.start(arguments: try Self.arguments(files, db: files.db))
        defer { serve.stop() }
        let token = try #require(serve.printedToken)
        #expect(try #require(await serve.post("/events", token: token, body: Self.lead("A1"))).status == 201)
        #expect(try #require(await serve.request("GET", "/ready", token: nil)).status == 200)

        // Another process takes SQLite's write lock and keeps it until its standard input closes.
        let holder = try Self.python(
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); sys.stdin.read()",
            [files.db])
        let (input, output) = (Pipe(), Pipe())
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        let said = try await BlockingWork.run { String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) }
        #expect(said.contains("locked"))

        let refused = try #require(await serve.post("/events", token: token, body: Self.lead("A2")))
        #expect(refused.status == 503, "a write waits out the busy timeout, then 503")
        #expect(Self.errorCode(refused.body) == "store_unavailable")
        let ready = try #require(await serve.request("GET", "/ready", token: nil))
        #expect(ready.status == 503 && Self.status(ready.body) == "store_unwritable")
        #expect(try #require(await serve.request("GET", "/health", token: nil)).status == 200, "reads still work")

        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        #expect(try #require(await serve.request("GET", "/ready", token: nil)).status == 200)
        #expect(try #require(await serve.post("/events", token: token, body: Self.lead("A2"))).status == 201, "the same event, resent")
        let lead = try #require(await serve.request("GET", "/leads/A2", token: token))
        #expect(lead.status == 200)
        serve.stop()
        #expect(try Self.integrityCheck(files.db) == "ok")
    }

    /// A 24 MiB tmpfs holds the store; a filler file takes the rest of it. Needs root (mount);
    /// elsewhere the test is reported as skipped, and the audit's manual run stands.
    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root; run the suite as root (CI does) to test a full disk"))
    func aFullDiskAnswers503ThenRecovers() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let mount = files.folder.appendingPathComponent("small-disk").path
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let mounted = try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mount])
        try #require(mounted == 0, "mount -t tmpfs failed (a container without CAP_SYS_ADMIN?)")
        defer { _ = try? Self.run("/bin/umount", ["-l", mount]) }
        let db = mount + "/store.sqlite"
        let serve = try await ServeProcess.start(arguments: try Self.arguments(files, db: db))
        defer { serve.stop() }
        let token = try #require(serve.printedToken)
        for i in 0..<5 { #expect(try #require(await serve.post("/events", token: token, body: Self.lead("D\(i)"))).status == 201) }

        // Fill the disk: the filler grows until the file system says ENOSPC.
        let filler = mount + "/filler"
        try #require(FileManager.default.createFile(atPath: filler, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: filler))
        let block = Data(count: 256 * 1024)
        while (try? handle.write(contentsOf: block)) != nil {}
        // A few more bytes at a time, so not even a page is left over.
        while (try? handle.write(contentsOf: Data(count: 512))) != nil {}
        try? handle.close()

        var acknowledged: [String] = []
        var refusedIDs: [String] = []
        for i in 5..<60 {
            guard let answer = await serve.post("/events", token: token, body: Self.lead("D\(i)")) else { continue }
            if answer.status == 201 {
                acknowledged.append("D\(i)")
            } else {
                #expect(answer.status == 503, "D\(i): \(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
                #expect(Self.errorCode(answer.body) == "store_unavailable")
                refusedIDs.append("D\(i)")
            }
            if refusedIDs.count >= 3 { break }
        }
        #expect(refusedIDs.count >= 3, "the full disk refused writes (acknowledged meanwhile: \(acknowledged))")
        let ready = try #require(await serve.request("GET", "/ready", token: nil))
        #expect(ready.status == 503 && Self.status(ready.body) == "store_unwritable")
        #expect(try #require(await serve.request("GET", "/health", token: nil)).status == 200)

        try FileManager.default.removeItem(atPath: filler)
        #expect(try #require(await serve.request("GET", "/ready", token: nil)).status == 200)
        for id in refusedIDs {
            #expect(try #require(await serve.post("/events", token: token, body: Self.lead(id))).status == 201, "\(id) resent after space came back")
        }
        for id in ["D0"] + acknowledged + refusedIDs {
            #expect(try #require(await serve.request("GET", "/leads/\(id)", token: token)).status == 200, "\(id) is stored")
        }
        serve.stop()
        #expect(try Self.integrityCheck(db) == "ok")
    }

    @Test func theFirstAdminTokenGoesToANewPrivateFile() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let tokenFile = files.folder.appendingPathComponent("admin.token").path
        let serve = try await ServeProcess.start(arguments: try Self.arguments(files, db: files.db) + ["--admin-token-file", tokenFile])
        // Standard output says where the token went ("admin token written to …"), never the token.
        #expect(serve.printedToken.map { !$0.hasPrefix("bt_") } ?? true, "the token is not on standard output")
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("bt_") && token.count == 67)
        #expect(try FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions] as? Int == 0o600)
        #expect(try #require(await serve.request("GET", "/tokens", token: token)).status == 200)
        serve.stop()
        // An existing file is never overwritten: refused (73) before the service starts.
        let again = Process()
        again.executableURL = ServeProcess.executable
        again.arguments = ["serve", "--port", "0", "--admin-token-file", tokenFile] + (try Self.arguments(files, db: files.db))
        let err = Pipe()
        again.standardError = err
        again.standardOutput = FileHandle.nullDevice
        try again.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        again.waitUntilExit()
        #expect(again.terminationStatus == 73 && message.contains("exists"), "\(again.terminationStatus): \(message)")
        #expect(try String(contentsOfFile: tokenFile, encoding: .utf8).hasPrefix(token))
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
