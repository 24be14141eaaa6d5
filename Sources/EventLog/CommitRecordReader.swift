import CChecksums

/// Decodes commit records from a buffer of decompressed segment bytes without copying it.
struct CommitRecordReader {
    /// Reads the record that starts at `offset` in `bytes`.
    /// Returns the record's total size (length prefix through CRC) and calls `visit` with a view of it.
    static func recordSize(in bytes: UnsafeRawBufferPointer, at offset: Int) throws(RecordDecodingFailure) -> Int {
        guard bytes.count - offset >= 4 else { throw .incomplete }
        let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
        guard length >= 1 + 8 + 8 + 4 + 6 + 4, length <= CommitRecord.maxBodyLength + 4 else {
            throw .invalid("record length \(length) is out of range")
        }
        guard bytes.count - offset - 4 >= length else { throw .incomplete }
        return 4 + length
    }

    /// Checks the CRC of the complete record at `offset` (whose size is `size`).
    static func checkCRC(in bytes: UnsafeRawBufferPointer, at offset: Int, size: Int) throws(RecordDecodingFailure) {
        let bodyStart = offset + 4
        let bodyLength = size - 8
        let stored = bytes.loadUnaligned(fromByteOffset: bodyStart + bodyLength, as: UInt32.self).littleEndian
        let computed = teamlog_crc32c(0, bytes.baseAddress! + bodyStart, bodyLength)
        guard stored == computed else {
            throw .invalid("record checksum mismatch (stored \(hex(stored)), computed \(hex(computed)))")
        }
    }

    /// Decodes a complete, CRC-checked record.
    static func decode(in bytes: UnsafeRawBufferPointer, at offset: Int, size: Int) throws(RecordDecodingFailure) -> CommitRecord {
        var cursor = ByteCursor(bytes: bytes, offset: offset + 4, end: offset + size - 4)
        let kind = try cursor.u8()
        guard kind == CommitRecord.kindCommit || kind == CommitRecord.kindCommitWithPrincipal else {
            throw .invalid("unknown record kind \(kind)")
        }
        let firstPosition = try cursor.u64()
        let recordedAt = Int64(bitPattern: try cursor.u64())
        let count = Int(try cursor.u32())
        guard count >= 1, count <= size else { throw .invalid("event count \(count) is out of range") }
        let commandId = try cursor.string()
        let correlationId = try cursor.string()
        let actor = try cursor.string()
        let principal = kind == CommitRecord.kindCommitWithPrincipal ? try cursor.string() : nil
        var events: [CommitRecord.Event] = []
        events.reserveCapacity(count)
        for _ in 0..<count {
            let stream = try cursor.string()
            let version = try cursor.u64()
            let type = try cursor.string()
            let schemaVersion = try cursor.u16()
            let payloadLength = Int(try cursor.u32())
            let payload = try cursor.bytes(payloadLength)
            events.append(.init(stream: stream, streamVersion: version, type: type, schemaVersion: schemaVersion, payload: payload))
        }
        guard cursor.offset == cursor.end else { throw .invalid("\(cursor.end - cursor.offset) unexpected bytes after the last event") }
        return CommitRecord(
            firstPosition: firstPosition, recordedAtMicros: recordedAt,
            commandId: commandId.isEmpty ? nil : commandId,
            correlationId: correlationId.isEmpty ? nil : correlationId,
            actor: actor, principal: principal, events: events
        )
    }

    /// The first position of the record at `offset` without decoding the rest (the record must be complete).
    static func firstPosition(in bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        bytes.loadUnaligned(fromByteOffset: offset + 5, as: UInt64.self).littleEndian
    }

    /// The record's event count without decoding the rest (the record must be complete).
    static func eventCount(in bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        bytes.loadUnaligned(fromByteOffset: offset + 21, as: UInt32.self).littleEndian
    }

    static func recordedAt(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
        Int64(bitPattern: bytes.loadUnaligned(fromByteOffset: offset + 13, as: UInt64.self).littleEndian)
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

/// Bounds-checked little-endian reads over raw bytes.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    let end: Int

    @inline(__always) mutating func need(_ n: Int) throws(RecordDecodingFailure) {
        guard n >= 0, end - offset >= n else { throw .invalid("a field runs past the end of its record") }
    }
    @inline(__always) mutating func u8() throws(RecordDecodingFailure) -> UInt8 {
        try need(1); defer { offset += 1 }
        return bytes[offset]
    }
    @inline(__always) mutating func u16() throws(RecordDecodingFailure) -> UInt16 {
        try need(2); defer { offset += 2 }
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian
    }
    @inline(__always) mutating func u32() throws(RecordDecodingFailure) -> UInt32 {
        try need(4); defer { offset += 4 }
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian
    }
    @inline(__always) mutating func u64() throws(RecordDecodingFailure) -> UInt64 {
        try need(8); defer { offset += 8 }
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
    }
    @inline(__always) mutating func string() throws(RecordDecodingFailure) -> String {
        // Records are checksummed and written from Swift Strings: decode without a second validation
        // (anything invalid would show as U+FFFD, never crash).
        String(decoding: try rawString(), as: UTF8.self)
    }
    /// A length-prefixed string's bytes, borrowed.
    @inline(__always) mutating func rawString() throws(RecordDecodingFailure) -> UnsafeRawBufferPointer {
        let length = Int(try u16())
        return try rawBytes(length)
    }
    /// `count` bytes, borrowed.
    @inline(__always) mutating func rawBytes(_ count: Int) throws(RecordDecodingFailure) -> UnsafeRawBufferPointer {
        try need(count); defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }
    @inline(__always) mutating func bytes(_ count: Int) throws(RecordDecodingFailure) -> [UInt8] {
        Array(try rawBytes(count))
    }
}
