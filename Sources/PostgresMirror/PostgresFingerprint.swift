import Crypto
import NIOCore
import PostgresNIO

/// A PostgreSQL view's fingerprint over the same canonical row bytes as the SQLite one
/// (`teamlog status`): SHA-256 over the view's tables in name order, each table as "T", its name's
/// length (8 bytes little-endian) and name, then each row in primary-key order (text compared byte by
/// byte, as SQLite does) as "R" and per value a type tag (1 integer, 2 float, 3 text, 4 blob, 0 null)
/// and the value (8 bytes little-endian; text and blobs: their length in 8 bytes, then the bytes).
/// Only the SQLite columns count (not the generated `timestamptz` ones), in SQLite's column order.
///
/// At equal checkpoints the two fingerprints are equal: the proof that PostgreSQL holds the same rows.
enum PostgresFingerprint {
    static func compute(_ layout: ViewLayout, schema: String, on connection: PostgresConnection) async throws -> String {
        var hasher = Hasher()
        for table in layout.tables.sorted(by: { $0.name < $1.name }) {
            hasher.byte(0x54)
            hasher.word(UInt64(table.name.utf8.count))
            hasher.bytes(Array(table.name.utf8))
            let order = table.primaryKey.isEmpty ? "" : " ORDER BY \(table.postgresOrder)"
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT \(table.columnList) FROM \(quoted(schema)).\(quoted(table.name))\(order)"),
                logger: PostgresPool.logger)
            let types = table.columns.map(\.type)
            for try await row in rows {
                hasher.byte(0x52)
                for (index, cell) in row.enumerated() {
                    guard var bytes = cell.bytes else {
                        hasher.byte(0)
                        continue
                    }
                    switch types[index] {
                    case .integer:
                        hasher.byte(1)
                        hasher.word(UInt64(bitPattern: try cell.decode(Int64.self)))
                    case .real:
                        hasher.byte(2)
                        hasher.word(try cell.decode(Double.self).bitPattern)
                    case .text:
                        hasher.byte(3)
                        // Text arrives as its UTF-8 bytes, in binary and text format alike.
                        hasher.word(UInt64(bytes.readableBytes))
                        hasher.bytes(bytes.readBytes(length: bytes.readableBytes) ?? [])
                    case .blob:
                        hasher.byte(4)
                        let value = try cell.decode(ByteBuffer.self)
                        hasher.word(UInt64(value.readableBytes))
                        hasher.bytes(Array(value.readableBytesView))
                    }
                }
            }
        }
        return hasher.finalize()
    }

    /// SHA-256 fed through a buffer (hashing a few bytes at a time would be slow).
    private struct Hasher {
        private var sha = SHA256()
        private var buffer: [UInt8] = []

        init() { buffer.reserveCapacity(1 << 16) }

        mutating func byte(_ value: UInt8) {
            buffer.append(value)
            flushIfFull()
        }

        mutating func word(_ value: UInt64) {
            withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
            flushIfFull()
        }

        mutating func bytes(_ value: [UInt8]) {
            buffer.append(contentsOf: value)
            flushIfFull()
        }

        private mutating func flushIfFull() {
            guard buffer.count >= 1 << 16 else { return }
            sha.update(data: buffer)
            buffer.removeAll(keepingCapacity: true)
        }

        mutating func finalize() -> String {
            sha.update(data: buffer)
            buffer = []
            let hex = Array("0123456789abcdef".utf8)
            var text: [UInt8] = []
            for byte in sha.finalize() {
                text.append(hex[Int(byte >> 4)])
                text.append(hex[Int(byte & 0x0F)])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }
}
