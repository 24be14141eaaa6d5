import Foundation
import PosixFiles
import Testing

/// The one classification of a failure of a store's file, from SQLite's result codes or the errno.
@Suite struct StorageFailureTests {
    static func sqlite(_ primary: Int32, extended: Int32? = nil, path: String = "/") -> StorageFailure {
        StorageFailure(sqlite: primary, extended: extended ?? primary, message: "m", operation: "writing", path: path)
    }

    @Test func sqliteCodesAndErrnosAreClassifiedOnce() {
        #expect(Self.sqlite(13).kind == .diskFull)
        #expect(Self.sqlite(8).kind == .readOnly)
        #expect(Self.sqlite(8, extended: 8 | (3 << 8)).kind == .readOnly)  // SQLITE_READONLY_ROLLBACK
        #expect(Self.sqlite(11).kind == .damaged && Self.sqlite(26).kind == .damaged)
        #expect(Self.sqlite(1).kind == .other)
        var ioFull = Self.sqlite(10, extended: 10 | (13 << 8))
        ioFull.systemErrno = ENOSPC
        #expect(ioFull.kind == .diskFull)
        var cantOpen = Self.sqlite(14)
        cantOpen.systemErrno = EACCES
        #expect(cantOpen.kind == .readOnly)
        cantOpen.systemErrno = nil
        #expect(cantOpen.kind == .io)
        for code in [ENOSPC, EDQUOT] { #expect(StorageFailure(errno: code, operation: "write").kind == .diskFull) }
        for code in [EROFS, EACCES, EPERM] { #expect(StorageFailure(errno: code, operation: "open").kind == .readOnly) }
        #expect(StorageFailure(errno: EIO, operation: "read").kind == .io)
        #expect(StorageFailure(CocoaError(.fileWriteOutOfSpace), operation: "mkdir").kind == .diskFull)
    }

    @Test func theMessageNamesTheFileAndGivesTheAdviceOfItsKind() {
        let full = Self.sqlite(13).message("view 'users'", path: "/s/views/users.sqlite", otherwise: "Rebuild it.")
        #expect(full.hasPrefix("the disk is full: writing view 'users' (/s/views/users.sqlite) failed (SQLite error 13: m)."))
        #expect(full.contains("Free some space") && !full.contains("Rebuild"))
        let readOnly = StorageFailure(errno: EROFS, operation: "opening").message("the decision state", path: "/s/state/decisions.sqlite", otherwise: "Delete it.")
        #expect(readOnly.contains("(/s/state/decisions.sqlite) is read-only") && readOnly.contains("Make the file writable") && !readOnly.contains("Delete"))
        let damaged = Self.sqlite(26).message("view 'users'", path: "/v", otherwise: "Rebuild it.")
        #expect(damaged == "view 'users' (/v) is damaged: SQLite error 26: m. Rebuild it.")
    }
}
