import Foundation

/// Every file under a directory, by relative path, with its bytes and permission bits: compared before
/// and after a command to show it changed nothing (byte for byte), or which files it created.
struct StoreSnapshot: Equatable {
    struct Entry: Equatable {
        var isDirectory: Bool
        var mode: Int
        var bytes: Data
    }

    var entries: [String: Entry]

    init(_ root: String) throws {
        entries = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return }
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
            let mode = (attributes[.posixPermissions] as? Int) ?? 0
            entries[relative] = Entry(isDirectory: isDirectory, mode: mode,
                                      bytes: isDirectory ? Data() : try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// The paths that differ (added, removed, or with other bytes or mode), for a readable failure.
    func changes(since before: StoreSnapshot) -> [String] {
        Set(entries.keys).union(before.entries.keys).filter { entries[$0] != before.entries[$0] }.sorted()
    }

    /// Paths readable, writable or searchable by anyone but the owner, with their modes in octal.
    var notPrivate: [String] {
        entries.filter { $0.value.mode & 0o077 != 0 }.map { "\($0.key) (\(String($0.value.mode, radix: 8)))" }.sorted()
    }
}
