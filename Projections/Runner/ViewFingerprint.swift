import Crypto
import GRDB

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
            for shift in stride(from: 0, to: 64, by: 8) { buffer.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        func appendBytes<C: Collection>(_ bytes: C) where C.Element == UInt8 {
            appendInteger(UInt64(bytes.count))
            buffer.append(contentsOf: bytes)
        }

        for table in tables.sorted() {
            buffer.append(0x54)  // "T"
            appendBytes(Array(table.utf8))
            let order = try db.primaryKey(table).columns.map { $0.quotedDatabaseIdentifier }.joined(separator: ", ")
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY \(order)")
            while let row = try rows.next() {
                buffer.append(0x52)  // "R"
                for value in row.databaseValues {
                    switch value.storage {
                    case .null:
                        buffer.append(0)
                    case .int64(let int):
                        buffer.append(1)
                        appendInteger(UInt64(bitPattern: int))
                    case .double(let double):
                        buffer.append(2)
                        appendInteger(double.bitPattern)
                    case .string(let string):
                        buffer.append(3)
                        appendBytes(Array(string.utf8))
                    case .blob(let data):
                        buffer.append(4)
                        appendBytes(Array(data))
                    }
                }
                flushIfLarge()
            }
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
