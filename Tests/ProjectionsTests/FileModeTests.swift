import Foundation
import Projections
import Testing

/// The runner's files: they hold personal data, so whatever the process's umask they are their owner's
/// alone; and they have the documented page size.
@Suite(.serialized) struct FileModeTests {
    /// A directory holding every kind of file the runner makes: views from a first catch-up (a bulk
    /// build swapped into place), one view rebuilt, and a replay.
    private func runnerFiles() throws -> TemporaryDirectory {
        let store = makeStore()
        try MarketplaceHistory.build(store)
        let dir = TemporaryDirectory()
        let runner = try ProjectionRunner(storeDirectory: dir.path)
        try runner.catchUp(store)
        try runner.rebuild(store, views: ["inbox"])
        try runner.replay(store, asOf: .position(5), output: dir.file("audit.sqlite"))
        runner.close()
        return dir
    }

    @Test func viewFilesRebuildsAndReplaysAreOwnerOnlyUnderTheUsualUmask() throws {
        // Given a process whose umask lets group and others read new files
        let previous = umask(0o022)
        defer { umask(previous) }

        // When the runner creates its views, rebuilds one, and replays
        let dir = try runnerFiles()

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

    @Test func viewFilesRebuildsAndReplaysUseSixteenKiBPages() throws {
        // When the runner creates its views, rebuilds one, and replays
        let dir = try runnerFiles()

        // Then every SQLite file it made has the documented page size (docs/READ-MODELS.md, "The files")
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sqlite") }
        #expect(files.contains("views/inbox.sqlite") && files.contains("audit.sqlite"))
        for file in files {
            #expect(try pageSize(ofSQLiteFile: dir.file(file)) == 16384, "\(file)")
        }
    }

    /// Page size, from the SQLite header (bytes 16-17, big-endian; 1 means 65536).
    private func pageSize(ofSQLiteFile path: String) throws -> Int {
        let header = try #require(FileManager.default.contents(atPath: path)?.prefix(18))
        let value = Int(header[header.startIndex + 16]) << 8 | Int(header[header.startIndex + 17])
        return value == 1 ? 65536 : value
    }
}
