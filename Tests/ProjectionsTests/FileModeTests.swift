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
}
