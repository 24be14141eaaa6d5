public import Foundation

/// An email ready to send: envelope, headers and a plain-text body, written as RFC 5322 text.
public struct OutgoingEmail: Sendable, Hashable {
    public var from: String
    public var recipient: String
    public var subject: String
    public var body: String
    /// `<…@…>`, the same on every attempt.
    public var messageId: String
    public var date: Date

    public init(from: String, recipient: String, subject: String, body: String, messageId: String, date: Date) {
        self.from = from
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.messageId = messageId
        self.date = date
    }

    /// The message as sent: headers (the subject RFC 2047-encoded unless it is plain printable ASCII, so
    /// no text of a user's can add a header), a blank line, the body quoted-printable; CRLF line ends.
    public var text: String {
        let headers = [
            "From: \(from)",
            "To: \(recipient)",
            "Subject: \(Self.encodedHeader(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageId)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + QuotedPrintable.encode(body)
    }

    /// A header value as is when it is printable ASCII and short, else as `=?utf-8?B?…?=` words.
    static func encodedHeader(_ value: String) -> String {
        let plain = value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !value.contains("=?") && value.utf8.count <= 900
        if plain { return value }
        // Encoded words of at most 39 bytes of text each (52 base64 characters, 64 with the markers, so that
        // "Subject: " and the first word fit in 78), split between code points (a
        // line break or control character is dropped).
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in value.unicodeScalars where scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value)
            && scalar.value != 0x2028 && scalar.value != 0x2029 {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

/// Quoted-printable (RFC 2045 §6.7) for a UTF-8 text: lines of at most 76 characters, CRLF line ends.
enum QuotedPrintable {
    static func encode(_ text: String) -> String {
        var out: [String] = []
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded = ""
            var length = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || (byte == 0x20 && !isLast)
                let piece = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
                if length + piece.count > 75 {
                    encoded += "=\r\n"
                    length = 0
                }
                encoded += piece
                length += piece.count
            }
            out.append(encoded)
        }
        return out.joined(separator: "\r\n") + "\r\n"
    }
}
