import Foundation
import GRDB
import PosixFiles

/// One SQLite file holding one view (a live view, a rebuild in progress) or several (an as-of replay).
final class ViewFile: Sendable {
    enum Mode: Sendable {
        /// A live view: rollback journal (so that a rebuilt file can be renamed over it safely),
        /// synchronous=NORMAL, waits for other processes' locks.
        case live
        /// A file nobody reads until it is complete (rebuild, replay): no journal, no syncs, one
        /// connection holding an exclusive lock. A crash leaves it unusable, and it is then started over.
        case bulk
        /// Opened only to read (status of a file we must not change, queries).
        case readOnly
    }

    let path: String
    let mode: Mode
    let queue: DatabaseQueue
    /// How long it waits for another connection's lock.
    let busyTimeout: Double

    /// Page cache per bulk file: bounded, so memory does not grow with the log.
    static let bulkCacheKiB = 8 * 1024

    /// The page size of new view files (SQLite's default is 4 KiB). Larger pages make a rebuild's
    /// B-trees shallower and its page work per row smaller: a full rebuild of the reference workload
    /// takes about 10% less CPU with 16 KiB pages (8 KiB gains less; 32 and 64 KiB no more), and a
    /// point query still reads only a few pages. It applies only when a file is created: an existing
    /// view keeps its pages until it is rebuilt.
    static let pageSize = 16 * 1024

    /// The file's device and inode when it was opened: a rebuild renames a new file over a live view.
    private let identity: (dev: UInt64, ino: UInt64)?

    private static func identity(of path: String) -> (dev: UInt64, ino: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// Whether another file now has this one's path (a rebuild swapped it in since it was opened):
    /// this connection then reads and writes a file no one else sees.
    var wasReplaced: Bool {
        guard let identity, let now = Self.identity(of: path) else { return identity != nil }
        return now.dev != identity.dev || now.ino != identity.ino
    }

    init(path: String, mode: Mode, busyTimeout: Double) throws {
        self.path = path
        self.mode = mode
        self.busyTimeout = busyTimeout
        var config = Configuration()
        config.label = (path as NSString).lastPathComponent
        config.busyMode = .timeout(busyTimeout)
        config.readonly = mode == .readOnly
        switch mode {
        case .live:
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA page_size=\(ViewFile.pageSize)")
                try db.execute(sql: "PRAGMA journal_mode=DELETE")
                try db.execute(sql: "PRAGMA synchronous=NORMAL")
            }
        case .bulk:
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA page_size=\(ViewFile.pageSize)")
                try db.execute(sql: "PRAGMA journal_mode=OFF")
                try db.execute(sql: "PRAGMA synchronous=OFF")
                try db.execute(sql: "PRAGMA locking_mode=EXCLUSIVE")
                try db.execute(sql: "PRAGMA cache_size=-\(ViewFile.bulkCacheKiB)")
            }
        case .readOnly:
            break
        }
        if mode != .readOnly { FileSystem.createPrivateFileIfMissing(path) }
        queue = try DatabaseQueue(path: path, configuration: config)
        identity = Self.identity(of: path)
    }

    /// Starts writing the file's pages to disk in the background, so that the fsync of
    /// `finishBulkAndClose` has little left to wait for: a bulk file is written without syncs, and
    /// its pages would otherwise all reach the disk during that fsync, while the CPU idles.
    func startWritebackInBackground() {
        let path = path
        DispatchQueue.global(qos: .utility).async { FileSystem.startWriteback(path: path) }
    }

    /// Makes a bulk-written file an ordinary durable SQLite file (rollback journal, fsynced), ready
    /// to be renamed into place, and closes it. With `syncs`, the fsync is only started there, and the
    /// file may be renamed into place after `syncs.wait()`.
    func finishBulkAndClose(syncs: BackgroundSyncs? = nil) throws {
        try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode=DELETE")
            try db.execute(sql: "PRAGMA locking_mode=NORMAL")
            // An exclusive lock is released only on the next access after locking_mode=NORMAL.
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema")
        }
        try queue.close()
        if let syncs { syncs.start(path: path) } else { try FileSystem.fsync(path: path) }
    }

    func close() throws {
        try queue.close()
    }
}
