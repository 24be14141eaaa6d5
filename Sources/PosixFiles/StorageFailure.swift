import Foundation

/// Why a store's file could not be read or written, kept typed from the failure to the exit status:
/// SQLite's primary and extended result codes and its message (never the statement's SQL or
/// arguments), or the system's errno, and the operation that failed. One classification (`kind`)
/// serves every module: the application maps it once to an exit status, the modules' messages to advice.
public struct StorageFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// SQLite's result codes (`primary` is `extended & 0xff`).
        case sqlite(primary: Int32, extended: Int32)
        /// The system's errno.
        case errno(Int32)
        /// The file opened, but its content is not what the store wrote (a missing row, a bad format).
        case damaged
        /// Any other error (its description, which never holds SQL arguments, is the message).
        case other
    }

    /// What the failure calls for.
    public enum Kind: Sendable, Equatable {
        case diskFull, readOnly, damaged, io, other
    }

    public var code: Code
    /// The errno behind a SQLite error when it is known (SQLite does not pass it on: inferred from the
    /// file system, see `init(sqlite:extended:message:operation:path:)`).
    public var systemErrno: Int32?
    public var operation: String
    public var message: String?

    public init(code: Code, systemErrno: Int32? = nil, operation: String, message: String? = nil) {
        self.code = code
        self.systemErrno = systemErrno
        self.operation = operation
        self.message = message
    }

    public init(errno code: Int32, operation: String) {
        self.init(code: .errno(code), operation: operation, message: String(cString: strerror(code)))
    }

    /// A SQLite failure on the file at `path`. SQLite reports some writes refused for lack of room or
    /// permission as an I/O or open error without the errno: when the file system holding the file is
    /// nearly full (`DiskSpace.isNearlyFull`), the errno is taken as ENOSPC; when the file (or, missing,
    /// its directory) cannot be written, as what `access(W_OK)` says (EROFS for a read-only mount).
    public init(sqlite primary: Int32, extended: Int32, message: String?, operation: String, path: String) {
        self.init(code: .sqlite(primary: primary, extended: extended), operation: operation, message: message)
        guard [Self.SQLITE_IOERR, Self.SQLITE_CANTOPEN, Self.SQLITE_READONLY, Self.SQLITE_FULL].contains(primary) else { return }
        if DiskSpace.isNearlyFull(path) {
            systemErrno = ENOSPC
        } else if let code = Self.writeErrno(path) {
            systemErrno = code
        }
    }

    /// A failure of Foundation or the file system: the errno from an `NSError` chain (POSIX domain, or
    /// Cocoa's out-of-space, read-only volume and no-permission codes), else `.other`.
    public init(_ error: any Error, operation: String) {
        if let failure = error as? StorageFailure { self = failure; return }
        var cause: NSError? = error as NSError
        while let current = cause {
            if current.domain == NSPOSIXErrorDomain {
                self.init(errno: Int32(truncatingIfNeeded: current.code), operation: operation)
                return
            }
            if current.domain == NSCocoaErrorDomain {
                let known: [Int: Int32] = [CocoaError.fileWriteOutOfSpace.rawValue: ENOSPC, CocoaError.fileWriteVolumeReadOnly.rawValue: EROFS,
                                           CocoaError.fileWriteNoPermission.rawValue: EACCES]
                if let code = known[current.code] { self.init(errno: code, operation: operation); return }
            }
            cause = current.userInfo[NSUnderlyingErrorKey] as? NSError
        }
        self.init(code: .other, operation: operation, message: String(describing: error))
    }

    /// The content of the file is not what the store wrote (`reason` says what is wrong).
    public static func damaged(_ reason: String, operation: String) -> StorageFailure {
        StorageFailure(code: .damaged, operation: operation, message: reason)
    }

    // SQLite's primary result codes (sqlite3.h; stable).
    public static let SQLITE_PERM: Int32 = 3
    public static let SQLITE_READONLY: Int32 = 8
    public static let SQLITE_IOERR: Int32 = 10
    public static let SQLITE_CORRUPT: Int32 = 11
    public static let SQLITE_FULL: Int32 = 13
    public static let SQLITE_CANTOPEN: Int32 = 14
    public static let SQLITE_NOTADB: Int32 = 26

    public var kind: Kind {
        let systemFull = systemErrno.map(DiskSpace.isFull(errno:)) ?? false
        let systemReadOnly = systemErrno.map(Self.isReadOnly(errno:)) ?? false
        switch code {
        case .errno(let code):
            return DiskSpace.isFull(errno: code) ? .diskFull : Self.isReadOnly(errno: code) ? .readOnly : .io
        case .sqlite(let primary, _):
            switch primary {
            case Self.SQLITE_FULL: return .diskFull
            case Self.SQLITE_READONLY, Self.SQLITE_PERM: return .readOnly
            case Self.SQLITE_CORRUPT, Self.SQLITE_NOTADB: return .damaged
            case Self.SQLITE_IOERR, Self.SQLITE_CANTOPEN:
                return systemFull ? .diskFull : systemReadOnly ? .readOnly : .io
            default: return .other
            }
        case .damaged: return .damaged
        case .other: return .other
        }
    }

    public var isDiskFull: Bool { kind == .diskFull }
    public var isReadOnly: Bool { kind == .readOnly }
    public var isDamaged: Bool { kind == .damaged }
    /// A failure of the file or its file system (full, read-only, I/O), not of the data written to it.
    public var isFileSystem: Bool { [.diskFull, .readOnly, .io].contains(kind) }

    public static func isReadOnly(errno code: Int32) -> Bool { code == EROFS || code == EACCES || code == EPERM }

    /// `SQLite error 13 (extended 13): database or disk is full`, `Read-only file system (errno 30)`.
    public var description: String {
        let system = systemErrno.map { ", errno \($0): \(String(cString: strerror($0)))" } ?? ""
        switch code {
        case let .sqlite(primary, extended):
            let codes = extended == primary ? "SQLite error \(primary)" : "SQLite error \(primary), extended \(extended)"
            return "\(codes)\(system): \(message ?? "no message")"
        case .errno(let code): return "\(message ?? String(cString: strerror(code))) (errno \(code))"
        case .damaged, .other: return message ?? "unknown error"
        }
    }

    /// What to do for a full disk or a read-only file (nil for other kinds: the module knows its advice).
    public var advice: String? {
        switch kind {
        case .diskFull:
            return "Free some space on the file system that holds it and run the command again: "
                + "nothing acknowledged is lost (the log is the source of truth, and a view or a state file stays at its last checkpoint)."
        case .readOnly:
            return "Make the file writable (its permissions, or remount its file system read-write) and run the command again: "
                + "nothing was written, and nothing acknowledged is lost."
        case .damaged, .io, .other: return nil
        }
    }

    /// The message for this failure on the file at `path`, described as `what` (`view 'users'`, `the
    /// decision state`): a full disk starts `the disk is full:`; `otherwise` is the advice for a damaged
    /// file or another failure.
    public func message(_ what: String, path: String, otherwise: String) -> String {
        let text = messageWithoutAdvice(what, path: path)
        let advice = isDiskFull || isReadOnly ? self.advice ?? "" : otherwise
        return advice.isEmpty ? text : text + " " + advice
    }

    private func messageWithoutAdvice(_ what: String, path: String) -> String {
        switch kind {
        case .diskFull:
            return "the disk is full: \(operation) \(what) (\(path)) failed (\(self))."
        case .readOnly:
            return "\(what) (\(path)) is read-only: \(operation) it failed (\(self))."
        case .damaged:
            return "\(what) (\(path)) is damaged: \(self)."
        case .io, .other:
            return "\(operation) \(what) (\(path)) failed: \(self)."
        }
    }

    /// The errno `access(W_OK)` gives for `path` (its nearest existing parent when it is missing), nil when writable.
    private static func writeErrno(_ path: String) -> Int32? {
        var candidate = path
        while access(candidate, F_OK) != 0 {
            let parent = (candidate as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != candidate else { return nil }
            candidate = parent
        }
        return access(candidate, W_OK) == 0 ? nil : errno
    }
}
