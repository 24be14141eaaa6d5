import Foundation
import Testing
@testable import Projections

/// A rebuild fsyncs its finished files in the background and swaps none of them in before every fsync
/// has succeeded: a failed fsync must come back from `wait()`, never be lost on its thread.
@Suite struct BackgroundSyncsTests {
    @Test func waitReturnsOnceEveryFileIsSyncedAndThrowsTheFailureOfOne() throws {
        let dir = TemporaryDirectory()
        let files = (0..<4).map { dir.file("view-\($0).sqlite") }
        for file in files { FileManager.default.createFile(atPath: file, contents: Data(repeating: 7, count: 4096)) }

        let syncs = BackgroundSyncs()
        for file in files { syncs.start(path: file) }
        try syncs.wait()

        let failing = BackgroundSyncs()
        let missing = dir.file("gone.sqlite")
        failing.start(path: files[0])
        failing.start(path: missing)
        #expect {
            try failing.wait()
        } throws: { error in
            guard case ProjectionError.io(_, let path, _) = error else { return false }
            return path == missing
        }
    }
}
