import Access
import Application
import ArgumentParser
import Foundation

/// `teamlog keys add|list|revoke`: the API keys a server accepts (README.md, "API keys").
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the API keys of `teamlog serve`: add (shown once), list, revoke.",
        discussion: """
            The key file is --keys FILE, else $TEAMLOG_KEYS, else <store>/keys. It holds
            only a hash of each key (mode 0600; format in docs/FORMAT.md).

            Roles: user (acts and reads as its own user), operator (acts on behalf of a
            named user), auditor (reads everything, writes nothing), system (acts as
            'system'; its actor is system).

            Examples:
              teamlog keys add --actor u-sam --role user
              teamlog keys list
              teamlog keys revoke 3f9a0c2e5b7d1a46
            """,
        subcommands: [Add.self, List.self, Revoke.self])

    /// `--keys FILE` (else `$TEAMLOG_KEYS`, else `<store>/keys`) with the store options.
    struct Location: ParsableArguments {
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .long, help: ArgumentHelp("The key file.", discussion: "Default: $TEAMLOG_KEYS, else <store>/keys.",
                                                valueName: "file"))
        var keys: String?

        /// The key file and whether it was named (rather than defaulted into the store).
        var location: (path: String, named: Bool) {
            if let keys, !keys.isEmpty { return (Self.absolute(keys), true) }
            if let keys = ProcessInfo.processInfo.environment["TEAMLOG_KEYS"], !keys.isEmpty { return (Self.absolute(keys), true) }
            return ((storeOptions.directory as NSString).appendingPathComponent("keys"), false)
        }

        /// The key file, after checking that its directory exists (a key file in the store needs the store).
        func file() throws(ApplicationError) -> KeyFile {
            let (path, named) = location
            let directory = (path as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ApplicationError(.missingInput, named
                    ? "the directory of the key file \(path) does not exist: create it, or name another file with --keys"
                    : "there is no Teamlog store at \(storeOptions.directory) to hold the key file: create one with `teamlog init --store \(storeOptions.directory)`, or name a key file with --keys (or TEAMLOG_KEYS)")
            }
            return KeyFile(path: path)
        }

        private static func absolute(_ path: String) -> String {
            let expanded = (path as NSString).expandingTildeInPath
            if expanded.hasPrefix("/") { return expanded }
            return (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new key and print it (only it, on standard output): it is shown once.",
            discussion: "Example:\n  teamlog keys add --actor u-sam --role user")

        @OptionGroup var location: Location

        @Option(help: ArgumentHelp("The user id the key acts as (system for a system key).", valueName: "user-id"))
        var actor: String

        @Option(help: ArgumentHelp("user, operator, auditor or system.", valueName: "role"), transform: Keys.role)
        var role: Role

        mutating func validate() throws {
            do throws(KeyFileError) {
                try KeyFile.check(actor: actor, role: role, path: location.location.path)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() throws {
            let file = try location.file()
            let (key, record) = try file.add(actor: actor, role: role, lockTimeout: location.storeOptions.lockTimeout)
            StandardStreams.out(key.text)
            StandardStreams.flush()
            StandardStreams.err("added key \(record.keyId) (role \(record.role.rawValue)) to \(file.path); it is shown this once: store it now")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the keys: id, actor, role, when created and revoked (never a secret).",
            discussion: "Examples:\n  teamlog keys list\n  teamlog keys list --format json")

        @OptionGroup var location: Location

        @Option(help: "table (default) or json (one object per key and line).")
        var format: ReportFormat = .table

        func run() throws {
            let file = try location.file()
            var records: [KeyRecord] = []
            if FileManager.default.fileExists(atPath: file.path) {
                records = try file.records()
            } else {
                StandardStreams.err("there is no key file at \(file.path) yet: `teamlog keys add` creates it")
            }
            func revoked(_ record: KeyRecord) -> String? { record.revokedAt.map(KeyRecord.timestamp) }
            switch format {
            case .json:
                for record in records {
                    StandardStreams.out(JSONText.object([
                        ("key_id", JSONText.string(record.keyId)), ("actor", JSONText.string(record.actor)),
                        ("role", JSONText.string(record.role.rawValue)),
                        ("created_at", JSONText.string(KeyRecord.timestamp(record.createdAt))),
                        ("revoked_at", revoked(record).map(JSONText.string) ?? "null"),
                    ]))
                }
            case .table:
                let cells = records.map { record in
                    [record.keyId, record.actor, record.role.rawValue, KeyRecord.timestamp(record.createdAt), revoked(record) ?? "-"]
                }
                for line in TableText.lines(columns: ["key_id", "actor", "role", "created_at", "revoked_at"], cells: cells) {
                    StandardStreams.out(line)
                }
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key: from then on it authenticates no one.",
            discussion: "Example:\n  teamlog keys revoke 3f9a0c2e5b7d1a46")

        @OptionGroup var location: Location

        @Argument(help: ArgumentHelp("The key's id (`teamlog keys list`).", valueName: "key-id"))
        var keyId: String

        mutating func validate() throws {
            guard keyId.utf8.count == APIKey.keyIdLength, keyId.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }) else {
                throw ValidationError("a key id is \(APIKey.keyIdLength) lowercase hex digits, as `teamlog keys list` shows (not the key itself)")
            }
        }

        func run() throws {
            let file = try location.file()
            let wasRevoked = (try? file.records())?.first(where: { $0.keyId == keyId })?.isRevoked ?? false
            let record = try file.revoke(keyId: keyId, lockTimeout: location.storeOptions.lockTimeout)
            if wasRevoked {
                StandardStreams.out("key \(record.keyId) was already revoked at \(record.revokedAt.map(KeyRecord.timestamp) ?? "?")")
            } else {
                StandardStreams.out("revoked key \(record.keyId) (role \(record.role.rawValue))")
            }
        }
    }
}

extension Keys {
    /// `--role`: one of the roles by name.
    static func role(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text) else { throw ValidationError("--role takes one of: \(Role.names).") }
        return role
    }
}
