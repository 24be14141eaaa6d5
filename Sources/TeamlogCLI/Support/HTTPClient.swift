import Application
import Foundation

/// The smallest HTTP/1.1 client `--server` needs: one POST over a fresh connection (`Connection:
/// close`), the answer read to its end. Plain http only (the server listens on loopback or behind a
/// proxy that terminates TLS).
struct HTTPClient {
    struct Answer {
        var status: Int
        var body: [UInt8]
    }

    let host: String
    let port: UInt16

    /// `http://HOST:PORT` (a trailing slash allowed); nil for anything else.
    init?(url: String) {
        guard url.hasPrefix("http://") else { return nil }
        var rest = url.dropFirst("http://".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/"), let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else { return nil }
        var host = String(rest[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    func post(_ path: String, body: [UInt8], headers: [(String, String)]) throws(ApplicationError) -> Answer {
        let socket = try connect()
        defer { close(socket) }
        var request = "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        try send(socket, Array(request.utf8) + body)
        return try Self.parse(try receiveAll(socket))
    }

    private func connect() throws(ApplicationError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw ApplicationError(.missingInput, "cannot resolve the server's host '\(host)': check --server")
        }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        var lastErrno: Int32 = 0
        while let candidate = entry {
            let fd = socket(candidate.pointee.ai_family, candidate.pointee.ai_socktype, candidate.pointee.ai_protocol)
            if fd >= 0 {
                if Glibc.connect(fd, candidate.pointee.ai_addr, candidate.pointee.ai_addrlen) == 0 { return fd }
                lastErrno = errno
                close(fd)
            }
            entry = candidate.pointee.ai_next
        }
        throw ApplicationError(.temporary, "cannot connect to the server at \(host):\(port): \(String(cString: strerror(lastErrno))). Is `teamlog serve` running there?")
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) throws(ApplicationError) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ApplicationError(.ioError, "sending to the server failed: \(String(cString: strerror(errno)))")
            }
            sent += count
        }
    }

    private func receiveAll(_ fd: Int32) throws(ApplicationError) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ApplicationError(.ioError, "reading the server's answer failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return data }
            data += buffer[..<count]
        }
    }

    /// Status and body of a response read to its end (a `chunked` body is decoded).
    static func parse(_ response: [UInt8]) throws(ApplicationError) -> Answer {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, response.count - 3)).first(where: { Array(response[$0..<$0 + 4]) == separator }) else {
            throw ApplicationError(.failure, "the server's answer is not HTTP")
        }
        let head = String(decoding: response[..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1."), let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw ApplicationError(.failure, "the server's answer is not HTTP")
        }
        var body = Array(response[(end + 4)...])
        if lines.contains(where: { $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked") }) {
            body = dechunked(body)
        }
        return Answer(status: status, body: body)
    }

    private static func dechunked(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                  let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? "", radix: 16),
                  size > 0, lineEnd + 2 + size <= bytes.count else { break }
            out += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
            index = lineEnd + 2 + size + 2
        }
        return out
    }
}
