import GRDB
import GRDBSQLite
import NIOCore

/// Rows in PostgreSQL's `COPY … FROM STDIN (FORMAT text)` encoding: columns separated by tabs, rows
/// ended by newlines, `\N` for null, and backslash, tab, newline and carriage return escaped.
struct CopyText {
    private(set) var buffer: ByteBuffer
    private(set) var rows = 0

    init(capacity: Int = 1 << 16) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    var byteCount: Int { buffer.readableBytes }

    /// Takes the rows written so far, leaving the encoder empty.
    mutating func take() -> ByteBuffer {
        let taken = buffer
        buffer = ByteBufferAllocator().buffer(capacity: max(1 << 16, taken.readableBytes))
        rows = 0
        return taken
    }

    /// Appends the current row of a stepped SQLite statement, column by column as `types` say.
    mutating func appendRow(of statement: OpaquePointer?, types: [ViewLayout.ColumnType]) {
        for column in 0..<types.count {
            if column > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            appendValue(statement, column: Int32(column), type: types[column])
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
        rows += 1
    }

    private mutating func appendValue(_ statement: OpaquePointer?, column: Int32, type: ViewLayout.ColumnType) {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL:
            appendNull()
        case SQLITE_INTEGER where type == .integer || type == .real:
            buffer.writeString(String(sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT where type == .real:
            appendDouble(sqlite3_column_double(statement, column))
        case SQLITE_BLOB where type == .blob:
            appendBytes(sqlite3_column_blob(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
        default:
            // Text, or a value whose storage class differs from the column's type: its text, which
            // PostgreSQL converts to the column's type (or refuses, naming the value).
            if type == .blob {
                appendBytes(sqlite3_column_blob(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
            } else {
                let text = sqlite3_column_text(statement, column)
                appendEscaped(text.map { UnsafeRawPointer($0) }, count: Int(sqlite3_column_bytes(statement, column)))
            }
        }
    }

    mutating func appendNull() {
        buffer.writeStaticString("\\N")
    }

    mutating func appendInteger(_ value: Int64) {
        buffer.writeString(String(value))
    }

    mutating func appendDouble(_ value: Double) {
        if value.isNaN { buffer.writeStaticString("NaN") }
        else if value == .infinity { buffer.writeStaticString("Infinity") }
        else if value == -.infinity { buffer.writeStaticString("-Infinity") }
        // Swift's description is the shortest text that reads back as the same double.
        else { buffer.writeString(value.description) }
    }

    mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { bytes in appendEscaped(UnsafeRawPointer(bytes.baseAddress), count: bytes.count) }
    }

    /// A `bytea` value in hex (`\\x…`: the backslash itself escaped for COPY).
    mutating func appendBytes(_ bytes: UnsafeRawPointer?, count: Int) {
        buffer.writeStaticString("\\\\x")
        guard let bytes, count > 0 else { return }
        let hex: StaticString = "0123456789abcdef"
        let digits = hex.utf8Start
        for index in 0..<count {
            let byte = bytes.load(fromByteOffset: index, as: UInt8.self)
            buffer.writeInteger(digits[Int(byte >> 4)])
            buffer.writeInteger(digits[Int(byte & 0x0F)])
        }
    }

    mutating func appendBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { appendBytes($0.baseAddress, count: $0.count) }
    }

    mutating func appendSeparator() {
        buffer.writeInteger(UInt8(ascii: "\t"))
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        rows += 1
    }

    /// Text with COPY's escapes: the runs without a special byte are copied whole.
    mutating func appendEscaped(_ bytes: UnsafeRawPointer?, count: Int) {
        guard let bytes, count > 0 else { return }
        var start = 0
        for index in 0..<count {
            let byte = bytes.load(fromByteOffset: index, as: UInt8.self)
            let escape: UInt8
            switch byte {
            case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
            case UInt8(ascii: "\t"): escape = UInt8(ascii: "t")
            case UInt8(ascii: "\n"): escape = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escape = UInt8(ascii: "r")
            default: continue
            }
            if index > start { buffer.writeBytes(UnsafeRawBufferPointer(start: bytes + start, count: index - start)) }
            buffer.writeInteger(UInt8(ascii: "\\"))
            buffer.writeInteger(escape)
            start = index + 1
        }
        if count > start { buffer.writeBytes(UnsafeRawBufferPointer(start: bytes + start, count: count - start)) }
    }
}
