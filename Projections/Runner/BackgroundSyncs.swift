import Dispatch
import Synchronization
import PosixFiles

/// Fsyncs of finished files, run in the background while the caller goes on with other work (the next
/// view's indexes and fingerprint), and waited for before any of the files is relied on.
final class BackgroundSyncs: Sendable {
    private let group = DispatchGroup()
    private let failure = Mutex<ProjectionError?>(nil)

    /// Starts flushing `path` to disk.
    func start(path: String) {
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
            do throws(ProjectionError) {
                try FileSystem.fsync(path: path)
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
    }

    /// Waits for every flush started; throws the first that failed.
    func wait() throws(ProjectionError) {
        group.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
