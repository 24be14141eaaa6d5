import Access
import Foundation
import Testing

/// The key file and the key ring: keys made, authenticated, revoked; every malformed or wrong key
/// refused; a damaged file a typed error that names the file and quotes no secret or hash.
@Suite struct KeyRingTests {
    /// A fresh key file path in a directory of its own.
    static func keyFile() throws -> (KeyFile, directory: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teamlog-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (KeyFile(path: directory + "/keys"), directory)
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func aKeyAuthenticatesAsItsPrincipalUntilRevoked() throws {
        let (file, directory) = try Self.keyFile()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (sam, samRecord) = try file.add(actor: "u-sam", role: .user)
        let (ops, _) = try file.add(actor: "u-ops", role: .operator)
        let (system, _) = try file.add(actor: "system", role: .system)
        #expect(sam.text.hasPrefix("tlk_\(sam.keyId)_"))
        #expect(sam.text.utf8.count == APIKey.textLength)
        #expect(!"\(sam)".contains(String(sam.text.suffix(43))), "the description shows the secret")

        let ring = try KeyRing(path: file.path)
        #expect(ring.authenticate(sam.text) == Principal(keyId: sam.keyId, actor: "u-sam", role: .user))
        #expect(ring.authenticate(ops.text) == Principal(keyId: ops.keyId, actor: "u-ops", role: .operator))
        #expect(ring.authenticate(system.text)?.role == .system)
        #expect(samRecord.principal == ring.authenticate(sam.text))

        let revoked = try file.revoke(keyId: sam.keyId)
        #expect(revoked.isRevoked)
        // The ring answers from what it read until it reloads.
        #expect(ring.authenticate(sam.text) != nil)
        #expect(try ring.reloadIfChanged())
        #expect(ring.authenticate(sam.text) == nil)
        #expect(ring.authenticate(ops.text) != nil)
        #expect(try !ring.reloadIfChanged())
        // Revoking again keeps the first time.
        #expect(try file.revoke(keyId: sam.keyId).revokedAt == revoked.revokedAt)
        #expect(try file.records().map(\.keyId) == [sam.keyId, ops.keyId, system.keyId])
    }

    @Test func theFileHoldsOnlyHashesAndIsOwnerOnly() throws {
        let (file, directory) = try Self.keyFile()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (key, _) = try file.add(actor: "u-sam", role: .user)
        #expect(try Self.mode(file.path) & 0o777 == 0o600)
        #expect(try Self.mode(file.path + ".lock") & 0o777 == 0o600)
        _ = try file.revoke(keyId: key.keyId)
        #expect(try Self.mode(file.path) & 0o777 == 0o600)
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        let secret = String(key.text.dropFirst(4 + 16 + 1))
        #expect(!text.contains(secret))
        #expect(text.hasPrefix(KeyFile.header + "\n"))
        #expect(text.contains("\"keyId\":\"\(key.keyId)\""))
        #expect(!FileManager.default.fileExists(atPath: file.path + ".tmp"))
    }

    /// Every shape of a key that is not one: refused without touching the file's keys.
    static func malformed(_ key: APIKey) -> [String] {
        let text = key.text
        let secret = String(text.dropFirst(4 + 16 + 1))
        let id = key.keyId
        var last = Array(secret.utf8)
        last[last.count - 1] = UInt8(ascii: "B")  // non-zero trailing bits: not the canonical encoding of 32 bytes
        return [
            "", "tlk_", "tlk__", "tlk_\(id)", "tlk_\(id)_", "\(id)_\(secret)", "TLK_\(id)_\(secret)", "tlk-\(id)-\(secret)",
            "tlk_\(id.uppercased())_\(secret)", "tlk_\(id.dropLast())_\(secret)", "tlk_\(id)0_\(secret)", "tlk_\(id)\(secret)",
            "tlk_\(id)_\(secret.dropLast())", "tlk_\(id)_\(secret)A", "tlk_\(id)_\(secret.dropLast())=", "tlk_\(id)_\(secret)=",
            "tlk_\(id)_\(secret.dropLast())+", "tlk_\(id)_\(secret.dropLast())/", "tlk_\(id)_\(secret.dropLast())é", "tlk_\(id)_\(secret.dropLast(2))é",
            " \(text)", "\(text) ", "\(text)\n", "Bearer \(text)", "tlk_\(id)_\(String(decoding: last, as: UTF8.self))",
            "tlk_zzzzzzzzzzzzzzzz_\(secret)", String(repeating: "a", count: 10_000), "tlk_\(id)_\(secret)_\(secret)",
            "tlk_\(id)_" + String(repeating: "\u{0}", count: 43),
        ]
    }

    @Test func malformedWrongAndUnknownKeysAuthenticateNoOne() throws {
        let (file, directory) = try Self.keyFile()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (key, _) = try file.add(actor: "u-sam", role: .user)
        let ring = try KeyRing(path: file.path)
        for text in Self.malformed(key) {
            #expect(ring.authenticate(text) == nil, "accepted a malformed key (\(text.utf8.count) bytes)")
            #expect(APIKey(parsing: text) == nil || text == key.text, "parsed a malformed key (\(text.utf8.count) bytes)")
        }
        // Well formed but wrong: another secret for the same id, an unknown id, one character changed.
        let stranger = APIKey.generate()
        let strangerSecret = String(stranger.text.dropFirst(4 + 16 + 1))
        #expect(ring.authenticate("tlk_\(key.keyId)_\(strangerSecret)") == nil)
        #expect(ring.authenticate(stranger.text) == nil)
        var changed = Array(key.text.utf8)
        changed[30] = changed[30] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(ring.authenticate(String(decoding: changed, as: UTF8.self)) == nil)
        #expect(ring.authenticate(key.text) != nil)
    }

    @Test func generatedKeysAreDistinctAndRoundTrip() {
        let keys = (0..<200).map { _ in APIKey.generate() }
        #expect(Set(keys.map(\.text)).count == 200)
        #expect(Set(keys.map(\.keyId)).count == 200)
        for key in keys {
            #expect(APIKey(parsing: key.text) == key)
            #expect(key.secretHash.count == 32)
        }
    }

    /// Lines of a valid key file, with one changed by `damage`.
    static func damagedFile(_ damage: (inout [String]) -> Void) throws -> (path: String, error: KeyFileError?, secret: String, hash: String) {
        let (file, _) = try keyFile()
        let (key, _) = try file.add(actor: "u-sam", role: .user)
        _ = try file.add(actor: "u-ops", role: .operator)
        var lines = try String(contentsOfFile: file.path, encoding: .utf8).split(separator: "\n").map(String.init)
        let hash = lines[1].components(separatedBy: "\"secretSHA256\":\"")[1].prefix(64)
        damage(&lines)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file.path))
        var failure: KeyFileError?
        do {
            _ = try KeyRing(path: file.path)
        } catch {
            failure = error
        }
        return (file.path, failure, String(key.text.dropFirst(21)), String(hash))
    }

    static let damages: [(String, @Sendable (inout [String]) -> Void, Int)] = [
        ("no header", { $0.removeFirst() }, 1),
        ("another version", { $0[0] = #"{"format":"teamlog-keys","version":2}"# }, 1),
        ("not JSON", { $0[1] = String($0[1].dropLast()) }, 2),
        ("unknown role", { $0[2] = $0[2].replacingOccurrences(of: "\"operator\"", with: "\"admin\"") }, 3),
        ("short hash", { $0[1] = $0[1].replacingOccurrences(of: "\",\"createdAt", with: "0\",\"createdAt") }, 2),
        ("uppercase hash", { $0[1] = $0[1].replacingOccurrences(of: "a", with: "A") }, 2),
        ("bad time", { $0[1] = $0[1].replacingOccurrences(of: "Z\"", with: "Q\"") }, 2),
        ("duplicate key id", { $0.append($0[1]) }, 4),
        ("unknown field", { $0[2] = "{\"extra\":1," + $0[2].dropFirst() }, 3),
        ("duplicate field", { $0[2] = "{\"role\":\"system\"," + $0[2].dropFirst() }, 3),
        ("a blank line", { $0.insert("", at: 2) }, 3),
        ("user key for system", { $0[1] = $0[1].replacingOccurrences(of: "\"u-sam\"", with: "\"system\"") }, 2),
        ("missing revokedAt", { $0[1] = $0[1].replacingOccurrences(of: ",\"revokedAt\":null", with: "") }, 2),
        ("an array", { $0[2] = "[1,2]" }, 3),
    ]

    @Test(arguments: KeyRingTests.damages.indices)
    func aDamagedFileIsATypedErrorNamingTheFileAndLine(index: Int) throws {
        let (name, damage, line) = Self.damages[index]
        let (path, error, secret, hash) = try Self.damagedFile(damage)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        guard let error else {
            Issue.record("\(name): the damaged file loaded")
            return
        }
        if case .damaged(let found, _) = error.kind {
            #expect(found == line, "\(name): \(error)")
        } else {
            Issue.record("\(name): not a damaged file: \(error)")
        }
        #expect(error.description.contains(path), "\(name)")
        #expect(error.description.contains("teamlog keys add"), "\(name): says what to do")
        #expect(!error.description.contains(secret) && !error.description.contains(hash), "\(name): quotes a secret or hash")
        #expect(!error.description.contains("u-sam") && !error.description.contains("u-ops"), "\(name): quotes the line")
        // `add` refuses to rewrite a damaged file (it would drop the keys it cannot read).
        #expect(throws: KeyFileError.self) { try KeyFile(path: path).add(actor: "u-new", role: .user) }
    }

    @Test func aTamperedHashOrRoleChangesNoOnesAccess() throws {
        let (file, directory) = try Self.keyFile()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (key, _) = try file.add(actor: "u-sam", role: .user)
        var text = try String(contentsOfFile: file.path, encoding: .utf8)
        // A hash replaced by another valid one: the key no longer matches.
        let hash = text.components(separatedBy: "\"secretSHA256\":\"")[1].prefix(64)
        let other = String(hash.reversed())
        text = text.replacingOccurrences(of: String(hash), with: other)
        try text.write(toFile: file.path, atomically: true, encoding: .utf8)
        let ring = try KeyRing(path: file.path)
        #expect(ring.authenticate(key.text) == nil)
    }

    @Test func aMissingFileOrDirectoryIsATypedError() throws {
        let (file, directory) = try Self.keyFile()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: KeyFileError(.missing, path: file.path)) { try KeyRing(path: file.path) }
        #expect(throws: KeyFileError(.missing, path: file.path)) { try file.records() }
        #expect(throws: KeyFileError(.missing, path: file.path)) { try file.revoke(keyId: "0123456789abcdef") }
        let nowhere = KeyFile(path: directory + "/no/such/keys")
        #expect(throws: KeyFileError.self) { try nowhere.add(actor: "u-sam", role: .user) }
        _ = try file.add(actor: "u-sam", role: .user)
        #expect(throws: KeyFileError(.unknownKey, path: file.path)) { try file.revoke(keyId: "0123456789abcdef") }
    }

    @Test func addChecksTheActorAndRoleAndLeavesTheFileAsItWas() throws {
        let (file, directory) = try Self.keyFile()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try file.add(actor: "u-sam", role: .user)
        let before = try Data(contentsOf: URL(fileURLWithPath: file.path))
        for (actor, role) in [("", Role.user), ("u sam", .user), ("u|sam", .user), (String(repeating: "x", count: 129), .auditor),
                              ("system", .user), ("system", .operator), ("u-sam", .system)] {
            #expect(throws: KeyFileError.self, "\(actor) \(role)") { try file.add(actor: actor, role: role) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == before)
    }

    @Test func aFailedReloadKeepsTheKeys() throws {
        let (file, directory) = try Self.keyFile()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (key, _) = try file.add(actor: "u-sam", role: .user)
        let ring = try KeyRing(path: file.path)
        try "not a key file\n".write(toFile: file.path, atomically: true, encoding: .utf8)
        #expect(throws: KeyFileError.self) { try ring.reload() }
        #expect(ring.authenticate(key.text) != nil)
    }
}
