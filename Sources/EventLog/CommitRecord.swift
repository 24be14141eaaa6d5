import CChecksums

/// The binary form of one commit inside a segment's decompressed stream (little-endian):
///
/// ```
/// u32 length            bytes that follow: body + crc
/// body:
///   u8  kind            1 = commit, 2 = commit with a principal
///   u64 firstPosition
///   i64 recordedAt      microseconds since 1970-01-01T00:00:00Z
///   u32 eventCount
///   str commandId       (u16 byte count + UTF-8; 0 bytes = none)
///   str correlationId
///   str actor
///   str principal       (kind 2 only) who sent the command on the actor's behalf
///   eventCount × { str stream, u64 streamVersion, str type, u16 schemaVersion, u32 payloadLength, payload }
/// u32 crc32c(body)      CRC-32C (Castagnoli) of the body
/// ```
struct CommitRecord: Sendable, Hashable {
    static let kindCommit: UInt8 = 1
    /// A commit whose command was sent on the actor's behalf: the principal follows the actor.
    static let kindCommitWithPrincipal: UInt8 = 2
    /// Upper bound on one record's body, to reject garbage lengths before allocating.
    static let maxBodyLength = 64 << 20
    static let maxStringLength = Int(UInt16.max)

    struct Event: Sendable, Hashable {
        var stream: String
        var streamVersion: UInt64
        var type: String
        var schemaVersion: UInt16
        var payload: [UInt8]
    }

    var firstPosition: UInt64
    var recordedAtMicros: Int64
    var commandId: String?
    var correlationId: String?
    var actor: String
    var principal: String? = nil
    var events: [Event]

    var lastPosition: UInt64 { firstPosition + UInt64(events.count) - 1 }

    /// Appends the record's bytes (length prefix through CRC) to `buffer`.
    func encode(into buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.appendLE(UInt32(0)) // patched below
        buffer.append(principal == nil ? Self.kindCommit : Self.kindCommitWithPrincipal)
        buffer.appendLE(firstPosition)
        buffer.appendLE(UInt64(bitPattern: recordedAtMicros))
        buffer.appendLE(UInt32(events.count))
        buffer.appendString(commandId ?? "")
        buffer.appendString(correlationId ?? "")
        buffer.appendString(actor)
        if let principal { buffer.appendString(principal) }
        for event in events {
            buffer.appendString(event.stream)
            buffer.appendLE(event.streamVersion)
            buffer.appendString(event.type)
            buffer.appendLE(event.schemaVersion)
            buffer.appendLE(UInt32(event.payload.count))
            buffer.append(contentsOf: event.payload)
        }
        let crc = buffer.withUnsafeBufferPointer { all in
            teamlog_crc32c(0, all.baseAddress! + start + 4, all.count - start - 4)
        }
        buffer.appendLE(crc)
        let length = UInt32(buffer.count - start - 4)
        buffer.withUnsafeMutableBytes { raw in raw.storeBytes(of: length.littleEndian, toByteOffset: start, as: UInt32.self) }
    }

    var encoded: [UInt8] {
        var buffer: [UInt8] = []
        encode(into: &buffer)
        return buffer
    }
}

/// Why bytes could not be read as a commit record.
enum RecordDecodingFailure: Error, Equatable {
    /// Fewer bytes than the record needs: a torn write at the tail, or a cut segment.
    case incomplete
    /// The bytes are complete but wrong (checksum, kind, lengths).
    case invalid(String)
}

extension [UInt8] {
    @inline(__always) mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    @inline(__always) mutating func appendString(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            appendLE(UInt16(utf8.count))
            append(contentsOf: utf8)
        }
    }
}
