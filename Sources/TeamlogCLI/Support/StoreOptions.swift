import ArgumentParser
import Foundation

/// `--store DIR` (else `$TEAMLOG_STORE`, else `~/.local/share/teamlog/store`) and the lock timeout.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store directory.",
        discussion: "Default: $TEAMLOG_STORE, else ~/.local/share/teamlog/store.", valueName: "dir"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another process's write lock.", valueName: "seconds"))
    var lockTimeout: Double = 5

    /// The store directory this invocation works on.
    var directory: String {
        if let store, !store.isEmpty { return Self.absolute(store) }
        let environment = ProcessInfo.processInfo.environment
        if let store = environment["TEAMLOG_STORE"], !store.isEmpty { return Self.absolute(store) }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/share/teamlog/store")
    }

    mutating func validate() throws {
        guard lockTimeout >= 0 else { throw ValidationError("--lock-timeout must be zero or more seconds.") }
    }

    private static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
    }
}
