import ArgumentParser
import EventLog

/// `teamlog init`: creates an empty store (mode 0700).
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an empty store (its directory readable by you only).",
        discussion: "Example:\n  teamlog init --store ~/teamlog")

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = Store(storeOptions)
        let existed = store.exists
        let log = try store.openForWriting()
        log.close()
        StandardStreams.out(existed ? "store \(store.directory) already exists (\(log.storeId))"
                                    : "created store \(store.directory) (\(log.storeId))")
    }
}
