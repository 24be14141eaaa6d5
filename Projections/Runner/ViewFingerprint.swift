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
        // Rows are serialized into this buffer (`writeRow`), hashed when full.
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
                Self.writeRow(handle, columns: columns, into: UnsafeMutableRawBufferPointer(rebasing: buffer[used...]))
            }
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                var written = writeRow()
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

    /// Writes the current row of a stepped statement: "R", then per value a type tag (1 integer,
    /// 2 float, 3 text, 4 blob, 0 null) and the value (8 bytes little-endian; text and blobs: their
    /// length in 8 bytes, then the bytes). Returns the bytes written, or, when the row needs more than
    /// `out` holds, the bytes it needs (nothing is written then). Each column is fetched once as a
    /// value (`sqlite3_column_value`): the `sqlite3_column_*` accessors would each repeat the
    /// statement's bookkeeping. The connection is used by one thread at a time, so the unprotected
    /// values are safe to read.
    private static func writeRow(_ statement: OpaquePointer?, columns: Int32, into out: UnsafeMutableRawBufferPointer) -> Int {
        withUnsafeTemporaryAllocation(of: OpaquePointer?.self, capacity: Int(columns)) { values in
            for column in 0..<Int(columns) {
                values.initializeElement(at: column, to: sqlite3_column_value(statement, Int32(column)))
            }
            return writeRow(values, into: out)
        }
    }

    private static func writeRow(_ values: UnsafeMutableBufferPointer<OpaquePointer?>, into out: UnsafeMutableRawBufferPointer) -> Int {
        var needed = 1
        for value in values {
            switch sqlite3_value_type(value) {
            case SQLITE_INTEGER, SQLITE_FLOAT: needed += 9
            case SQLITE_TEXT, SQLITE_BLOB: needed += 9 + Int(sqlite3_value_bytes(value))
            default: needed += 1
            }
        }
        guard needed <= out.count else { return needed }
        var at = 0
        func tag(_ byte: UInt8) {
            out[at] = byte
            at += 1
        }
        func word(_ word: UInt64) {
            out.storeBytes(of: word.littleEndian, toByteOffset: at, as: UInt64.self)
            at += 8
        }
        func put(_ bytes: UnsafeRawPointer?, count: Int) {
            word(UInt64(count))
            guard let bytes, count > 0 else { return }
            (out.baseAddress! + at).copyMemory(from: bytes, byteCount: count)
            at += count
        }
        tag(0x52)  // "R"
        for value in values {
            switch sqlite3_value_type(value) {
            case SQLITE_INTEGER:
                tag(1)
                word(UInt64(bitPattern: sqlite3_value_int64(value)))
            case SQLITE_FLOAT:
                tag(2)
                word(sqlite3_value_double(value).bitPattern)
            case SQLITE_TEXT:
                tag(3)
                let text = sqlite3_value_text(value)  // before the count: it may convert the value to UTF-8
                put(text.map { UnsafeRawPointer($0) }, count: Int(sqlite3_value_bytes(value)))
            case SQLITE_BLOB:
                tag(4)
                let blob = sqlite3_value_blob(value)
                put(blob, count: Int(sqlite3_value_bytes(value)))
            default:
                tag(0)
            }
        }
        return at
    }

    static func rowCounts(_ db: Database, tables: [String]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
        }
        return counts
    }
}
