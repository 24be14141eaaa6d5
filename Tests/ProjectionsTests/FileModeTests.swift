import Foundation
import Projections
import Testing

/// The runner's files hold personal data: whatever the process's umask, they are its owner's alone.
@Suite(.serialized) struct FileModeTests {
    @Test func viewFilesRebuildsAndReplaysAreOwnerOnlyUnderTheUsualUmask() throws {
        // Given a process whose umask lets group and others read new files
        let previous = umask(0o022)
        defer { umask(previous) }
        let store = makeStore()
        try MarketplaceHistory.build(store)
        let dir = TemporaryDirectory()

        // When the runner creates its views (a bulk build swapped into place), rebuilds one, and replays
        let runner = try ProjectionRunner(storeDirectory: dir.path)
        try runner.catchUp(store)
        try runner.rebuild(store, views: ["inbox"])
        try runner.replay(store, asOf: .position(5), output: dir.file("audit.sqlite"))
        runner.close()

        // Then no file it made can be read by anyone but its owner
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path)
        #expect(files.contains("views/inbox.sqlite"))
        for file in files {
            let attributes = try FileManager.default.attributesOfItem(atPath: dir.file(file))
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
            let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
            #expect(mode & 0o077 == 0, "\(file) has mode \(String(mode, radix: 8))\(isDirectory ? " (directory)" : "")")
        }
    }

    /// Page size, from the SQLite header (bytes 16-17, big-endian; 1 means 65536).
    private func pageSize(ofSQLiteFile path: String) throws -> Int {
        let header = try #require(FileManager.default.contents(atPath: path)?.prefix(18))
        let value = Int(header[header.startIndex + 16]) << 8 | Int(header[header.startIndex + 17])
        return value == 1 ? 65536 : value
    }

    @Test func viewFilesRebuildsAndReplaysUseSixteenKiBPages() throws {
        // Given views made by a first catch-up (bulk, swapped into place)
        let store = makeStore()
        try MarketplaceHistory.build(store)
        let dir = TemporaryDirectory()
        let runner = try ProjectionRunner(storeDirectory: dir.path)
        try runner.catchUp(store)
        // When one is rebuilt and the history is replayed into an audit file
        try runner.rebuild(store, views: ["inbox"])
        try runner.replay(store, asOf: .position(5), output: dir.file("audit.sqlite"))
        runner.close()

        // Then every SQLite file the runner made has the documented page size (README, read models)
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sqlite") }
        #expect(files.contains("views/inbox.sqlite") && files.contains("audit.sqlite"))
        for file in files {
            #expect(try pageSize(ofSQLiteFile: dir.file(file)) == 16384, "\(file)")
        }
    }
}
