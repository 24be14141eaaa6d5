import Foundation
import Projections
import Testing

/// Where a path really leads, links and `..` followed, for refusing outputs inside a store.
@Suite struct ResolvedPathTests {
    @Test func linksOfTheFileAndOfEveryParentAreFollowedAndMissingPartsKept() throws {
        let dir = TemporaryDirectory()
        let root = ResolvedPath.resolve(dir.path)
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/store/views", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/out/views", withDestinationPath: "../store/views")
        try fm.createSymbolicLink(atPath: root + "/out/file", withDestinationPath: root + "/store/views/a.sqlite")
        try fm.createSymbolicLink(atPath: root + "/out/loop", withDestinationPath: "loop")
        #expect(ResolvedPath.resolve(root + "/out/views/a.sqlite") == root + "/store/views/a.sqlite")
        #expect(ResolvedPath.resolve(root + "/out/file") == root + "/store/views/a.sqlite")  // dangling: a.sqlite does not exist
        #expect(ResolvedPath.resolve("../store/./x", from: root + "/out") == root + "/store/x")
        #expect(ResolvedPath.resolve(root + "/out/views/../x") == root + "/store/x")        // `..` of the link's target
        #expect(ResolvedPath.resolve(root + "/missing/deeper/x") == root + "/missing/deeper/x")
        #expect(ResolvedPath.resolve(root + "/out/loop").hasPrefix(root + "/out/loop"))      // ends, and writing fails later
        #expect(ResolvedPath.isInside(root + "/store/x", directory: root + "/store"))
        #expect(ResolvedPath.isInside(root + "/store", directory: root + "/store/"))
        #expect(!ResolvedPath.isInside(root + "/store-copy/x", directory: root + "/store"))
    }

    @Test func replayRefusesOutputsThatLeadToTheStoresOwnFiles() throws {
        let store = makeStore()
        try store.appendGeneric(10)
        let dir = TemporaryDirectory()
        let runner = try ProjectionRunner(storeDirectory: dir.path, projections: [EnvelopeProjection()])
        try runner.catchUp(store)
        let elsewhere = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: elsewhere.file("views"), withDestinationPath: dir.file("views"))
        try FileManager.default.createSymbolicLink(atPath: elsewhere.file("live.sqlite"), withDestinationPath: dir.file("views/envelopes.sqlite"))
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.file("views/envelopes.sqlite")))
        for output in [elsewhere.file("views/envelopes.sqlite"), elsewhere.file("live.sqlite"), dir.file("views/new.sqlite"),
                       dir.file("log/new.sqlite"), dir.file("store.id"), dir.file("lock"), elsewhere.path + "/../" + (dir.path as NSString).lastPathComponent + "/state/x"] {
            #expect(throws: ProjectionError.self, "\(output)") {
                try runner.replay(store, asOf: .position(5), output: output, overwrite: true)
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("views/envelopes.sqlite"))) == before)
        try runner.replay(store, asOf: .position(5), output: elsewhere.file("out.sqlite"))
    }
}
