import Access
import Application
import EventLog
import Foundation
import Projections
import Synchronization
import Testing

/// `teamlog keys add|list|revoke` through the built binary, and the membership lookup over real read models.
@Suite struct KeysCLITests {
    static func storeWithKeys() throws -> CLI {
        let cli = try CLI()
        try cli.ok(["init"])
        return cli
    }

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    @Test func addPrintsOnlyTheKeyAndTheStoreKeepsOnlyItsHash() throws {
        let cli = try Self.storeWithKeys()
        let added = try AccessTests.runWithUmask022(cli, ["keys", "add", "--actor", "u-sam", "--role", "user"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.lines.count == 1)
        let key = try #require(added.lines.first)
        #expect(added.stdout == key + "\n")
        let parsed = try #require(APIKey(parsing: key))
        #expect(added.stderr.contains(parsed.keyId) && !added.stderr.contains(key))
        let path = cli.store + "/keys"
        #expect(Self.mode(path) & 0o777 == 0o600)
        let ring = try KeyRing(path: path)
        #expect(ring.authenticate(key) == Principal(keyId: parsed.keyId, actor: "u-sam", role: .user))
        #expect(try !String(contentsOfFile: path, encoding: .utf8).contains(String(key.dropFirst(21))))
        // The store stays owner-only with its key file.
        #expect(try StoreSnapshot(cli.store).notPrivate == [])
    }

    @Test func listShowsEveryKeyButNoSecretAndRevokeEndsAKey() throws {
        let cli = try Self.storeWithKeys()
        let sam = try cli.ok(["keys", "add", "--actor", "u-sam", "--role", "user"]).lines[0]
        let ops = try cli.ok(["keys", "add", "--actor", "u-ops", "--role", "operator"]).lines[0]
        let system = try cli.ok(["keys", "add", "--actor", "system", "--role", "system"]).lines[0]
        let samId = try #require(APIKey(parsing: sam)).keyId

        let table = try cli.ok(["keys", "list"])
        #expect(table.lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["key_id", "actor", "role", "created_at", "revoked_at"])
        #expect(table.lines.count == 5)
        #expect(table.lines.contains { $0.hasPrefix(samId) && $0.contains("u-sam") && $0.contains("user") && $0.hasSuffix("-") })
        for key in [sam, ops, system] { #expect(!table.stdout.contains(String(key.dropFirst(21)))) }
        #expect(!table.stdout.contains("tlk_"))
        let hashes = try String(contentsOfFile: cli.store + "/keys", encoding: .utf8)
            .components(separatedBy: "\"secretSHA256\":\"").dropFirst().map { String($0.prefix(64)) }
        #expect(hashes.count == 3)
        for hash in hashes { #expect(!table.stdout.contains(hash)) }

        let revoked = try cli.ok(["keys", "revoke", samId])
        #expect(revoked.stdout.contains("revoked key \(samId)"))
        let again = try cli.ok(["keys", "revoke", samId])
        #expect(again.stdout.contains("already revoked"))
        let json = try cli.ok(["keys", "list", "--format", "json"]).jsonLines()
        #expect(json.count == 3)
        let samRow = try #require(json.first { $0["key_id"] as? String == samId })
        #expect(samRow["revoked_at"] is String)
        #expect(json.filter { $0["revoked_at"] is NSNull }.count == 2)
        #expect(Set(json.flatMap(\.keys)) == ["key_id", "actor", "role", "created_at", "revoked_at"])

        let ring = try KeyRing(path: cli.store + "/keys")
        #expect(ring.authenticate(sam) == nil)
        #expect(ring.authenticate(ops)?.role == .operator)
        #expect(ring.authenticate(system)?.actor == "system")
    }

    @Test func badInputIsAUsageErrorAndLeavesTheFileUnchanged() throws {
        let cli = try Self.storeWithKeys()
        try cli.ok(["keys", "add", "--actor", "u-sam", "--role", "user"])
        let path = cli.store + "/keys"
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let cases: [[String]] = [
            ["keys", "add", "--actor", "u-sam", "--role", "admin"],
            ["keys", "add", "--actor", "u sam", "--role", "user"],
            ["keys", "add", "--actor", "", "--role", "user"],
            ["keys", "add", "--actor", "u|sam", "--role", "user"],
            ["keys", "add", "--actor", String(repeating: "x", count: 129), "--role", "user"],
            ["keys", "add", "--actor", "system", "--role", "operator"],
            ["keys", "add", "--actor", "u-sam", "--role", "system"],
            ["keys", "add", "--role", "user"],
            ["keys", "add", "--actor", "u-sam"],
            ["keys", "revoke", "0123456789abcdef"],
            ["keys", "revoke", "not-a-key-id"],
            ["keys", "revoke"],
            ["keys", "frobnicate"],
        ]
        for arguments in cases {
            let result = try cli.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stdout == "", "\(arguments)")
            #expect(!result.stderr.isEmpty, "\(arguments)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func theKeyFileIsNamedByOptionThenEnvironmentThenStore() throws {
        let cli = try Self.storeWithKeys()
        let named = cli.root + "/named-keys"
        let fromEnvironment = cli.root + "/env-keys"
        try cli.ok(["keys", "add", "--actor", "u-a", "--role", "user", "--keys", named])
        let viaEnvironment = try cli.run(["keys", "add", "--actor", "u-b", "--role", "auditor"], environment: ["TEAMLOG_KEYS": fromEnvironment])
        #expect(viaEnvironment.status == 0)
        let optionWins = try cli.run(["keys", "add", "--actor", "u-c", "--role", "user", "--keys", named], environment: ["TEAMLOG_KEYS": fromEnvironment])
        #expect(optionWins.status == 0)
        #expect(try KeyFile(path: named).records().map(\.actor) == ["u-a", "u-c"])
        #expect(try KeyFile(path: fromEnvironment).records().map(\.actor) == ["u-b"])
        #expect(!FileManager.default.fileExists(atPath: cli.store + "/keys"))
        // The store options may come before the subcommand, as for every subcommand.
        let before = try cli.run(["--store", cli.store, "keys", "add", "--actor", "u-d", "--role", "user"], withStore: false)
        #expect(before.status == 0, "\(before.stderr)")
        let list = try cli.run(["keys", "--store", cli.store, "list"], withStore: false)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("u-d"))
    }

    @Test func aMissingStoreOrDirectoryAndADamagedFileAreClearErrors() throws {
        let cli = try CLI()
        let noStore = try cli.run(["keys", "add", "--actor", "u-sam", "--role", "user"])
        #expect(noStore.status == 66)
        #expect(noStore.stderr.contains("teamlog init"))
        let noDirectory = try cli.run(["keys", "add", "--actor", "u-sam", "--role", "user", "--keys", cli.root + "/no/keys"])
        #expect(noDirectory.status == 66)
        try cli.ok(["init"])
        let empty = try cli.ok(["keys", "list"])
        #expect(empty.stdout.contains("(no rows)"))
        #expect(empty.stderr.contains("no key file"))
        #expect(try cli.run(["keys", "revoke", "0123456789abcdef"]).status == 66)

        let key = try cli.ok(["keys", "add", "--actor", "u-sam", "--role", "user"]).lines[0]
        let path = cli.store + "/keys"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"user\"", with: "\"root\"").write(toFile: path, atomically: true, encoding: .utf8)
        let damaged = try cli.run(["keys", "list"])
        #expect(damaged.status == 65)
        #expect(damaged.stderr.contains(path) && damaged.stderr.contains("line 2"))
        #expect(!damaged.stderr.contains(String(key.dropFirst(21))) && !damaged.stderr.contains("u-sam"))
        let add = try cli.run(["keys", "add", "--actor", "u-amy", "--role", "user"])
        #expect(add.status == 65 && add.stdout == "")
    }

    @Test func concurrentAddsKeepEveryKey() throws {
        let cli = try Self.storeWithKeys()
        let count = 8
        let keys = Mutex<[String]>([])
        let failures = Mutex<[String]>([])
        // One thread per process, all at once.
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let result = try cli.run(["keys", "add", "--actor", "u-\(index)", "--role", "user", "--lock-timeout", "60"])
                    if result.status == 0, result.lines.count == 1 {
                        keys.withLock { $0.append(result.lines[0]) }
                    } else {
                        failures.withLock { $0.append("\(index): \(result.status) \(result.stderr)") }
                    }
                } catch {
                    failures.withLock { $0.append("\(index): \(error)") }
                }
            }.start()
        }
        group.wait()
        #expect(failures.withLock { $0 } == [])
        let ring = try KeyRing(path: cli.store + "/keys")
        let added = keys.withLock { $0 }
        #expect(added.count == count)
        #expect(Set(added.compactMap { ring.authenticate($0)?.actor }) == Set((0..<count).map { "u-\($0)" }))
        #expect(ring.records.count == count)
    }

    /// The lookup the server gives the policy, over the read models of a real store.
    @Test func theMembershipLookupAnswersFromTheReadModels() throws {
        let cli = try QueryAndFormatTests.storyStore()
        try cli.ok(["exec", try cli.file("more.jsonl", """
            {"command":"PostJob","actor":"u-bob","jobId":"j-site","title":"Site","description":"Build it","visibility":"public","purpose":"work"}
            {"command":"Hire","actor":"u-bob","jobId":"j-site","providerId":"u-sam","staffingManagerId":"u-sue","assignmentId":"a-1"}
            {"command":"CreateTeam","actor":"u-bob","teamId":"t-bob","name":"Bob's"}
            {"command":"InviteToTeam","actor":"u-bob","teamId":"t-bob","userId":"u-sam","role":"member","invitationId":"ti-2"}
            {"command":"AcceptTeamInvitation","actor":"u-sam","teamId":"t-bob","invitationId":"ti-2"}
            {"command":"LeaveTeam","actor":"u-sam","teamId":"t-bob"}
            """)])
        let log = try EventLog.open(directory: cli.store, options: .readOnly)
        let runner = try ProjectionRunner(storeDirectory: cli.store)
        defer { runner.close() }
        let lookup = ReadModelMembership(queries: ReadModelQueries(runner: runner, store: log))
        #expect(try lookup.isActiveMember(user: "u-sam", team: "t-acme"))
        #expect(try lookup.isActiveMember(user: "u-acme", team: "t-acme"))
        #expect(try !lookup.isActiveMember(user: "u-sam", team: "t-bob"), "u-sam left t-bob")
        #expect(try !lookup.isActiveMember(user: "u-amy", team: "t-acme"))
        #expect(try lookup.isParty(user: "u-sam", assignment: "a-1"))
        #expect(try lookup.isParty(user: "u-sue", assignment: "a-1"))
        #expect(try !lookup.isParty(user: "u-amy", assignment: "a-1"))
        #expect(try lookup.isPoster(user: "u-acme", job: "j-1"))
        #expect(try !lookup.isPoster(user: "u-sam", job: "j-1"))

        let sam = Principal(keyId: "00000000000000a1", actor: "u-sam", role: .user)
        #expect(try AccessPolicy.authorize(sam, read: try QueryRequest(view: "team-roster", key: "t-acme", filters: [:]).readRequest,
                                           lookup: lookup) == .allowed)
        #expect(try AccessPolicy.authorize(sam, read: try QueryRequest(view: "team-roster", key: "t-bob", filters: [:]).readRequest,
                                           lookup: lookup) != .allowed)
        #expect(try AccessPolicy.authorize(sam, read: try QueryRequest(view: "assignment", key: "a-1", filters: [:]).readRequest,
                                           lookup: lookup) == .allowed)
    }
}
