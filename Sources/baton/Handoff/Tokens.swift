import ArgumentParser
import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffServer

/// `baton tokens issue|list|revoke --db …`: the service's bearer tokens, managed on the store
/// directly by an operator (the way back when no admin token is at hand; `baton serve` need not run).
struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Issue, list and revoke the bearer tokens of `baton serve`, on the store itself.",
        discussion: """
            Tokens are stored as SHA-256 hashes; a token's text is shown once, when it is issued. \
            Every instance sharing the store sees an issue or a revoke at once.
            """,
        subcommands: [Issue.self, List.self, Revoke.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue", abstract: "Issue a token; its text is printed once (or written to --token-file).")
        @OptionGroup var store: StoreOptions
        @Option(help: "A unique name for the token (printable, 1…64 characters), e.g. crm-sync.") var name: String
        @Option(help: "What it may do: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: Role
        @Option(help: "Write the token to this new file (mode 0600) instead of standard output.") var tokenFile: String?
        @Option(help: "When the token stops working, an RFC 3339 date-time such as 2027-03-31T00:00:00Z (default: never).")
        var expiresAt: String?
        @Option(help: "Or: the token stops working this many days from now (1…3650).") var expiresInDays: Int?

        func run() async {
            let name = name.trimmingCharacters(in: .whitespaces)
            if let problem = Identifier.problem(name) { fail("--name \(problem)", .usage) }
            guard name.unicodeScalars.count <= 64 else { fail("--name is longer than 64 characters", .usage) }
            if let tokenFile { SecretFile.requireAbsent(tokenFile, option: "--token-file") }
            let now = Date()
            let expiry = Self.expiry(at: expiresAt, inDays: expiresInDays, now: now)
            let token = await store.withStore { store in
                do throws(StoreError) {
                    return try await TokenRegistry(store: store).issue(name: name, role: role, at: now, expiresAt: expiry)
                } catch { fail(error) }
            }
            let until = expiry.map { ", expiring \(EventTime.format($0))" } ?? " (it never expires)"
            if let tokenFile {
                do throws(SecretFile.Problem) {
                    try SecretFile.write(token, to: tokenFile)
                } catch {
                    fail("\(error); the token '\(name)' was issued, revoke it (`baton tokens revoke`) and try another path", .cannotCreate)
                }
                FileHandle.standardError.write(
                    Data("issued \(role.rawValue) token '\(name)'\(until); its text is in \(tokenFile) (shown nowhere else)\n".utf8))
            } else {
                print(token)
                FileHandle.standardError.write(
                    Data("issued \(role.rawValue) token '\(name)'\(until); this is the only time its text is shown\n".utf8))
            }
        }

        /// The expiry `--expires-at` or `--expires-in-days` asks for (at most one), in the future.
        static func expiry(at text: String?, inDays days: Int?, now: Date) -> Date? {
            switch (text, days) {
            case (nil, nil):
                return nil
            case (.some, .some):
                fail("give --expires-at or --expires-in-days, not both", .usage)
            case (let text?, nil):
                guard let date = EventTime.parse(text) else {
                    fail("--expires-at '\(text)' is not an RFC 3339 date-time; write it like 2027-03-31T00:00:00Z", .usage)
                }
                guard date > now else { fail("--expires-at \(text) is not in the future (now \(EventTime.format(now)))", .usage) }
                return date
            case (nil, let days?):
                guard (1...3650).contains(days) else { fail("--expires-in-days is \(days); give 1…3650", .usage) }
                return now.addingTimeInterval(Double(days) * 86_400)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the tokens: name, role, when each was issued and when it expires (never the token).")
        @OptionGroup var store: StoreOptions
        @Flag(help: "One JSON array instead of a table.") var json = false

        func run() async {
            store.requireExisting("no store at \(store.db); give the store `baton serve` uses")
            let entries = await store.withStore { store in
                do throws(StoreError) { return try await TokenRegistry(store: store).all() } catch { fail(error) }
            }
            let now = Date()
            let rows = entries.map {
                (
                    name: $0.name, role: $0.role.rawValue, created: EventTime.format($0.createdAt), expires: $0.expiresAt.map(EventTime.format),
                    expired: $0.isExpired(at: now)
                )
            }
            if json {
                let objects: [[String: Any]] = rows.map {
                    ["name": $0.name, "role": $0.role, "created_at": $0.created, "expires_at": $0.expires ?? NSNull(), "expired": $0.expired]
                }
                let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .prettyPrinted])) ?? Data("[]".utf8)
                print(String(decoding: data, as: UTF8.self))
                return
            }
            let width = max(4, rows.map { $0.name.count }.max() ?? 0)
            print("name".padding(toLength: width, withPad: " ", startingAt: 0) + "  role       issued                expires")
            for row in rows {
                let expires = row.expires.map { $0 + (row.expired ? " (expired)" : "") } ?? "never"
                print(
                    row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.role.padding(toLength: 9, withPad: " ", startingAt: 0)
                        + "  " + row.created.padding(toLength: 20, withPad: " ", startingAt: 0) + "  " + expires)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a token by name; it stops working on every instance at once.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The token's name.") var name: String
        @Flag(help: "Revoke even the last admin token (the service then has no admin until `baton tokens issue --role admin`).")
        var allowLastAdmin = false

        func run() async {
            store.requireExisting("no store at \(store.db); give the store `baton serve` uses")
            let name = name
            let allow = allowLastAdmin
            await store.withStore { store in
                let registry = TokenRegistry(store: store)
                do throws(StoreError) {
                    let entries = try await registry.all()
                    guard entries.contains(where: { $0.name == name }) else {
                        fail("no token named '\(name)' (tokens: \(entries.map(\.name).joined(separator: ", ")))", .dataError)
                    }
                    if !allow, entries.first(where: { $0.name == name })?.role == .admin, entries.filter({ $0.role == .admin }).count == 1 {
                        fail(
                            "'\(name)' is the last admin token; issue another with `baton tokens issue --role admin` first, or pass --allow-last-admin",
                            .dataError)
                    }
                    _ = try await registry.revoke(name: name)
                } catch { fail(error) }
            }
            FileHandle.standardError.write(Data("revoked token '\(name)'\n".utf8))
        }
    }
}

extension Role: ExpressibleByArgument {}
