import Foundation
import GRDB
import PosixFiles

/// The typed cause of a failure on the decision state's file: SQLite's result codes and message
/// (never the statement's arguments), or the errno of Foundation's file errors, so that a full disk
/// or a read-only file is reported as such (free space, make it writable, and retry) rather than as
/// a damaged state.
extension StorageFailure {
    init(_ error: any Error, operation: String, path: String) {
        if let error = error as? DatabaseError {
            self.init(sqlite: error.resultCode.rawValue, extended: error.extendedResultCode.rawValue, message: error.message,
                      operation: operation, path: path)
        } else {
            self.init(error, operation: operation)
        }
    }
}
