import Application
import EventLog
import Foundation
import Marketplace
import Projections
import TeamlogServer

/// Opens the parts of a store a subcommand needs, turning failures into `ApplicationError`s.
struct Store {
    let directory: String
    let lockTimeout: Double

    init(_ options: StoreOptions) {
        directory = options.directory
        lockTimeout = options.lockTimeout
    }

    var exists: Bool {
        FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("store.id"))
            || FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("log"))
    }

    /// The log, read-only (no lock). A missing store is a missing input.
    func openForReading() throws(ApplicationError) -> EventLog {
        guard exists else {
            throw ApplicationError(.missingInput, "there is no Teamlog store at \(directory): create one with `teamlog init --store \(directory)` or point --store (or TEAMLOG_STORE) at an existing store")
        }
        do throws(EventLogError) {
            return try EventLog.open(directory: directory, options: .readOnly)
        } catch {
            throw ApplicationError(log: error)
        }
    }

    /// The log for appending (takes the write lock), creating the store (mode 0700) when it is missing.
    func openForWriting(create: Bool = true) throws(ApplicationError) -> EventLog {
        if !exists {
            guard create else { return try openForReading() }
            try Self.makePrivateDirectory(directory)
        }
        do throws(EventLogError) {
            return try EventLog.open(directory: directory, options: EventLogOptions(lockTimeout: lockTimeout))
        } catch {
            if case .busy = error, let url = ServerAdvertisement.url(storeDirectory: directory) {
                // The writer is a server: the command belongs there, not in a retry.
                throw ApplicationError(.temporary, "the store is served by `teamlog serve` at \(url), which is its only writer while it runs: send the command there (add `--server \(url) --key KEY`, or POST \(url)/v1/commands the same JSON as an `exec` line, with an API key), or stop the server first. Read commands (query, log, status, verify) work beside it.")
            }
            throw ApplicationError(log: error)
        }
    }

    /// The marketplace over a log opened for writing.
    func openMarketplace(_ log: EventLog) throws(ApplicationError) -> Marketplace {
        do throws(MarketplaceError) {
            let market = try Marketplace.open(store: log, storeDirectory: directory)
            restrictDerivedDirectories()
            return market
        } catch {
            throw ApplicationError(market: error)
        }
    }

    /// The log opened for writing and the marketplace over it, ready to run commands.
    func openCommandExecution() throws(ApplicationError) -> CommandExecution {
        let log = try openForWriting()
        let market = try openMarketplace(log)
        let ids = try CommandIdGuard.open(storeDirectory: directory, log: log)
        if let recovery = ids.registry.recovery { StandardStreams.err("teamlog: warning: \(recovery)") }
        return CommandExecution(market: market, ids: ids)
    }

    /// The read models' runner, with an optional progress callback.
    func openRunner(progress: (@Sendable (ProjectionProgress) -> Void)? = nil) throws(ApplicationError) -> ProjectionRunner {
        do throws(ProjectionError) {
            let runner = try ProjectionRunner(storeDirectory: directory, options: ProjectionRunnerOptions(progress: progress))
            restrictDerivedDirectories()
            return runner
        } catch {
            throw ApplicationError(projection: error)
        }
    }

    /// The decision state and the views hold personal data too: keep their directories owner-only
    /// (the modules create them with the default mode).
    private func restrictDerivedDirectories() {
        for name in ["state", "views"] {
            chmod((directory as NSString).appendingPathComponent(name), 0o700)
        }
    }

    /// Creates `path` and any missing parents, each readable by its owner only (the store holds personal data).
    static func makePrivateDirectory(_ path: String) throws(ApplicationError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ApplicationError(.usage, "\(path) exists and is not a directory: choose another --store") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makePrivateDirectory(parent) }
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            let code = errno
            throw ApplicationError(.ioError, "creating the directory \(path) failed: \(String(cString: strerror(code))) (errno \(code)). Check the permissions of its parent.")
        }
    }
}
