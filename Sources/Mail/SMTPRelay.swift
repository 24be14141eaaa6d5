import Foundation
public import NIOCore
import NIOPosix
import NIOSSL

/// An SMTP relay (RFC 5321): `EHLO`, optionally `STARTTLS`, `MAIL FROM`, `RCPT TO`, `DATA`, `QUIT`.
///
/// Replies 2xx and 3xx go on; 4xx defers the email, 5xx refuses it for good; a relay that cannot be
/// reached, stops answering within `timeout` or closes the connection is unreachable.
public struct SMTPRelay: MailTransport {
    public enum Security: Sendable, Hashable {
        /// Plain SMTP (a relay on loopback or a trusted network).
        case none
        /// `STARTTLS` before the sender is given; a relay that does not offer it is refused.
        case startTLS(caFile: String?)
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// How long any step may wait for the relay.
    public var timeout: TimeAmount
    /// The name given in `EHLO`.
    public var clientName: String

    public init(host: String, port: Int, security: Security = .none, timeout: TimeAmount = .seconds(30), clientName: String = "teamlog") {
        self.host = host
        self.port = port
        self.security = security
        self.timeout = timeout
        self.clientName = clientName
    }

    /// `host:port` (a bare `host` means port 25; `[v6]:port` for IPv6).
    public init(address: String, security: Security = .none, timeoutSeconds: Int = 30) throws(MailError) {
        var host = address
        var port = 25
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            host = String(address[address.index(after: address.startIndex)..<close])
            let rest = address[address.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let value = Int(rest.dropFirst()) else { throw Self.badAddress(address) }
                port = value
            } else if !rest.isEmpty { throw Self.badAddress(address) }
        } else if let colon = address.lastIndex(of: ":") {
            host = String(address[..<colon])
            guard let value = Int(address[address.index(after: colon)...]) else { throw Self.badAddress(address) }
            port = value
        }
        guard !host.isEmpty, (1...65535).contains(port), !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw Self.badAddress(address)
        }
        self.init(host: host, port: port, security: security, timeout: .seconds(Int64(max(1, timeoutSeconds))))
    }

    private static func badAddress(_ address: String) -> MailError {
        .settings("the relay address '\(address.prefix(100))' is not host:port (e.g. 127.0.0.1:25 or mail.example.com:587)")
    }

    public var name: String {
        host.contains(":") ? "smtp://[\(host)]:\(port)" : "smtp://\(host):\(port)"
    }

    public func send(_ email: OutgoingEmail) async throws(MailError) {
        let sslContext = try makeSSLContext()
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            let timeout = self.timeout
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: timeout))
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                        try channel.pipeline.syncOperations.addHandler(SMTPTimeoutHandler())
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .unreachable("the relay \(name) cannot be reached: \(Self.describe(error))")
        }
        // However slowly the relay answers (a byte at a time, each within `timeout`), one email's whole
        // conversation ends by this deadline: the connection is closed and the email deferred.
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout * 4) { [channel = channel.channel] in
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            try await channel.executeThenClose { inbound, outbound in
                var conversation = SMTPConversation(relay: name, lines: inbound.makeAsyncIterator(), outbound: outbound)
                try await conversation.expect(220, after: "connecting")
                var extensions = try await conversation.command("EHLO \(clientName)", expect: 250)
                if case .startTLS = security, let sslContext {
                    guard extensions.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                        throw MailError.unreachable("the relay \(name) does not offer STARTTLS, and --starttls requires it: check the relay's TLS set-up")
                    }
                    _ = try await conversation.command("STARTTLS", expect: 220)
                    let serverName = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
                    try await channel.channel.eventLoop.submit {
                        let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: serverName)
                        try channel.channel.pipeline.syncOperations.addHandler(handler, position: .first)
                    }.get()
                    extensions = try await conversation.command("EHLO \(clientName)", expect: 250)
                }
                _ = extensions
                _ = try await conversation.command("MAIL FROM:<\(email.from)>", expect: 250)
                _ = try await conversation.command("RCPT TO:<\(email.recipient)>", expect: 250)
                _ = try await conversation.command("DATA", expect: 354)
                _ = try await conversation.send(data: email.text, expect: 250)
                try? await conversation.quit()
            }
        } catch let error as MailError {
            throw error
        } catch {
            throw .unreachable("the conversation with the relay \(name) broke off: \(Self.describe(error))")
        }
    }

    private func makeSSLContext() throws(MailError) -> NIOSSLContext? {
        guard case .startTLS(let caFile) = security else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile { configuration.trustRoots = .file(caFile) }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .settings("the TLS settings cannot be used\(caFile.map { " (CA file \($0))" } ?? ""): \(error)")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return describe(first.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "the name \(error.host) cannot be resolved" }
            return "no address to connect to"
        case let error as IOError:
            return "\(String(cString: strerror(error.errnoCode))) (errno \(error.errnoCode))"
        case is SMTPTimeout:
            return "no answer within the time limit"
        case let error as ChannelError:
            if case .connectTimeout = error { return "connecting timed out" }
            return String(describing: error)
        default:
            return String(describing: error)
        }
    }
}

/// One SMTP exchange over an open connection: commands out, replies (possibly multi-line) in.
struct SMTPConversation {
    let relay: String
    var lines: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Reads one reply and checks its code: 4xx defers the email, 5xx refuses it, else it must be `code`.
    @discardableResult
    mutating func expect(_ code: Int, after step: String) async throws -> [String] {
        var texts: [String] = []
        for _ in 0..<100 {
            guard let buffer = try await lines.next() else {
                throw MailError.unreachable("the relay \(relay) closed the connection after \(step)")
            }
            let line = String(buffer: buffer).trimmingTrailingLineEnd()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let replyCode = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                throw MailError.unreachable("the relay \(relay) answered \(step) with something that is not an SMTP reply")
            }
            texts.append(String(line.dropFirst(4)))
            if bytes.count > 3, bytes[3] == UInt8(ascii: "-") { continue }
            let reply = "\(replyCode) \(texts.joined(separator: " ").prefix(300))"
            switch replyCode {
            case code: return texts
            case 400..<500: throw MailError.deferred("the relay \(relay) answered \(step) with \(reply) (try later)")
            case 500..<600: throw MailError.refused("the relay \(relay) refused the email at \(step): \(reply)")
            default: throw MailError.unreachable("the relay \(relay) answered \(step) with \(reply), expected \(code)")
            }
        }
        throw MailError.unreachable("the relay \(relay) answered \(step) with more than 100 lines")
    }

    mutating func command(_ line: String, expect code: Int) async throws -> [String] {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        let verb = line.prefix { $0 != " " && $0 != ":" }
        return try await expect(code, after: String(verb))
    }

    /// The message, dot-stuffed, and the end-of-data line.
    mutating func send(data text: String, expect code: Int) async throws -> [String] {
        var stuffed = text.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
        if !stuffed.hasSuffix("\r\n") { stuffed += "\r\n" }
        try await outbound.write(ByteBuffer(string: stuffed + ".\r\n"))
        return try await expect(code, after: "the end of the message")
    }

    mutating func quit() async throws {
        _ = try await command("QUIT", expect: 221)
    }
}

/// Splits the relay's bytes into lines (ending in LF), at most 4096 bytes each.
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw SMTPLineTooLong() }
            return .needMoreData
        }
        let length = end - buffer.readableBytesView.startIndex + 1
        guard let line = buffer.readSlice(length: length) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

struct SMTPLineTooLong: Error {}
struct SMTPTimeout: Error {}

/// Turns the idle handler's read timeout into an error that ends the conversation.
final class SMTPTimeoutHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.fireErrorCaught(SMTPTimeout())
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

extension String {
    func trimmingTrailingLineEnd() -> String {
        var bytes = Array(utf8)
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
