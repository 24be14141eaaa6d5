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
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        func flushIfLarge() {
            if buffer.count >= 1 << 16 {
                hasher.update(data: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        func appendInteger(_ value: UInt64) {
            withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
        }
        func appendRaw(_ pointer: UnsafeRawPointer?, _ count: Int) {
            appendInteger(UInt64(count))
            if let pointer, count > 0 {
                buffer.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: count))
            }
        }
        func appendBytes<C: Collection>(_ bytes: C) where C.Element == UInt8 {
            appendInteger(UInt64(bytes.count))
            buffer.append(contentsOf: bytes)
        }

        for table in tables.sorted() {
            buffer.append(0x54)  // "T"
            appendBytes(Array(table.utf8))
            let order = try db.primaryKey(table).columns.map { $0.quotedDatabaseIdentifier }.joined(separator: ", ")
            let statement = try db.makeStatement(sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY \(order)")
            let handle = statement.sqliteStatement
            let columns = sqlite3_column_count(handle)
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                buffer.append(0x52)  // "R"
                for column in 0..<columns {
                    switch sqlite3_column_type(handle, column) {
                    case SQLITE_INTEGER:
                        buffer.append(1)
                        appendInteger(UInt64(bitPattern: sqlite3_column_int64(handle, column)))
                    case SQLITE_FLOAT:
                        buffer.append(2)
                        appendInteger(sqlite3_column_double(handle, column).bitPattern)
                    case SQLITE_TEXT:
                        buffer.append(3)
                        let count = Int(sqlite3_column_bytes(handle, column))
                        appendRaw(sqlite3_column_text(handle, column).map { UnsafeRawPointer($0) }, count)
                    case SQLITE_BLOB:
                        buffer.append(4)
                        let pointer = sqlite3_column_blob(handle, column)
                        appendRaw(pointer, Int(sqlite3_column_bytes(handle, column)))
                    default:
                        buffer.append(0)
                    }
                }
                flushIfLarge()
            }
            sqlite3_reset(handle)
        }
        hasher.update(data: buffer)
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
