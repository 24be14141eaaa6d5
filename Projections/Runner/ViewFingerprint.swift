import CTeamlogSupport
import Crypto
import GRDB
import GRDBSQLite

/// A view's content fingerprint: SHA-256 over its tables in name order, each table's rows in
/// primary-key order, each value with a type tag and (for text and blobs) its length.
///
/// Two views built from the same events by deterministic projectors have the same fingerprint;
/// a rebuild whose fingerprint differs from the live view's at the same position points at a
/// projector or an upcaster that is not deterministic.
enum ViewFingerprint {
    static func compute(_ db: Database, tables: [String]) throws -> String {
        var hasher = SHA256()
        // Rows are serialized by a C loop over SQLite's column accessors into this buffer, hashed when full.
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 8)
        defer { buffer.deallocate() }
        var used = 0
        func flush() {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<used]))
            used = 0
        }
        /// Makes room for `count` more bytes (hashing what the buffer holds; growing it for a huge row).
        func makeRoom(_ count: Int) {
            guard buffer.count - used < count else { return }
            flush()
            if buffer.count < count {
                buffer.deallocate()
                buffer = .allocate(byteCount: count, alignment: 8)
            }
        }

        for table in tables.sorted() {
            // "T", the name's length (8 bytes little-endian), the name.
            let header = [0x54] + withUnsafeBytes(of: UInt64(table.utf8.count).littleEndian) { Array($0) } + Array(table.utf8)
            makeRoom(header.count)
            UnsafeMutableRawBufferPointer(rebasing: buffer[used...]).copyBytes(from: header)
            used += header.count
            let order = try db.primaryKey(table).columns.map { $0.quotedDatabaseIdentifier }.joined(separator: ", ")
            let statement = try db.makeStatement(sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY \(order)")
            let handle = statement.sqliteStatement
            let columns = sqlite3_column_count(handle)
            func writeRow() -> Int {
                teamlog_fingerprint_row(UnsafeMutableRawPointer(handle), columns, buffer.baseAddress! + used, buffer.count - used)
            }
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                var written = writeRow()
                guard written >= 0 else { throw DatabaseError(message: "SQLite's column accessors are not linked") }
                if written > buffer.count - used {
                    makeRoom(written)
                    written = writeRow()
                }
                used += written
            }
            sqlite3_reset(handle)
        }
        flush()
        return hasher.finalize().map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
    }

    static func rowCounts(_ db: Database, tables: [String]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
        }
        return counts
    }
}
