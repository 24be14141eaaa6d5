import Foundation

/// A plain HTTP/1.1 client over POSIX sockets, for the server tests: requests the way any client sends
/// them (one connection each, `Connection: close`), and a Server-Sent Events reader that sees each
/// event as it arrives.
struct TestHTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw CLI.Failure("not a JSON object: \(text.prefix(300))")
            }
            return object
        }

        func jsonArray() throws -> [[String: Any]] {
            guard let array = try JSONSerialization.jsonObject(with: Data(body)) as? [[String: Any]] else {
                throw CLI.Failure("not a JSON array of objects: \(text.prefix(300))")
            }
            return array
        }

        /// Each line of a JSON Lines body as an object.
        func jsonLines() throws -> [[String: Any]] {
            try text.split(separator: "\n").map { line in
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw CLI.Failure("not a JSON object: \(line)")
                }
                return object
            }
        }
    }

    let port: UInt16

    init(url: String) throws {
        guard let port = url.split(separator: ":").last.flatMap({ UInt16($0) }) else { throw CLI.Failure("no port in \(url)") }
        self.port = port
    }

    func get(_ path: String, key: String? = nil, headers: [String: String] = [:]) throws -> Response {
        try request("GET", path, key: key, headers: headers, body: nil)
    }

    func post(_ path: String, key: String? = nil, headers: [String: String] = [:], body: String) throws -> Response {
        try request("POST", path, key: key, headers: headers, body: Array(body.utf8))
    }

    func request(_ method: String, _ path: String, key: String?, headers: [String: String], body: [UInt8]?) throws -> Response {
        let fd = try connect()
        defer { close(fd) }
        try send(fd, Array(head(method, path, key: key, headers: headers, bodyLength: body?.count).utf8) + (body ?? []))
        return try Self.parse(Self.readToEnd(fd))
    }

    /// Everything the server sends on `fd` until it closes the connection.
    static func readToEnd(_ fd: Int32) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return data }
            data += buffer[..<count]
        }
    }

    func head(_ method: String, _ path: String, key: String?, headers: [String: String], bodyLength: Int?) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let bodyLength { text += "Content-Length: \(bodyLength)\r\n" }
        if let key { text += "Authorization: Bearer \(key)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return text + "\r\n"
    }

    func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLI.Failure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw CLI.Failure("connect to port \(port): errno \(errno)")
        }
        return fd
    }

    func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw CLI.Failure("send: errno \(errno)") }
            sent += count
        }
    }

    static func parse(_ data: [UInt8]) throws -> Response {
        guard let end = headEnd(data) else { throw CLI.Failure("no HTTP head in \(data.count) bytes") }
        let lines = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw CLI.Failure("no status line: \(lines.first ?? "")")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(data[(end + 4)...])
        if headers["transfer-encoding"]?.contains("chunked") == true { body = dechunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    static func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        return (0...(data.count - 4)).first { data[$0] == 13 && data[$0 + 1] == 10 && data[$0 + 2] == 13 && data[$0 + 3] == 10 }
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<max(index, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                  let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { break }
            out += bytes[start..<(start + size)]
            index = start + size + 2
        }
        return out
    }
}

/// A live `GET /v1/events` connection: reads events as the server sends them.
final class FeedReader {
    struct Event {
        var id: UInt64
        var type: String
        var data: String
    }

    private let fd: Int32
    private var pending: [UInt8] = []
    private var bodyStarted = false
    private(set) var status = 0

    init(_ http: TestHTTP, path: String, key: String?, lastEventId: UInt64? = nil) throws {
        fd = try http.connect()
        var headers: [String: String] = ["Accept": "text/event-stream"]
        if let lastEventId { headers["Last-Event-ID"] = String(lastEventId) }
        try http.send(fd, Array(http.head("GET", path, key: key, headers: headers, bodyLength: nil).utf8))
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Events until `count` arrived or `seconds` passed (heartbeats and comments skipped).
    func events(count: Int, within seconds: Double) -> [Event] {
        var events: [Event] = []
        let deadline = Date().addingTimeInterval(seconds)
        while events.count < count, Date() < deadline {
            if let event = nextEvent() { events.append(event) } else if !read() { break }
        }
        return events
    }

    /// Reads more bytes; false when the connection ended.
    private func read() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &buffer, buffer.count, 0)
        if count < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR }
        guard count > 0 else { return false }
        pending += buffer[..<count]
        if !bodyStarted, let end = TestHTTP.headEnd(pending) {
            status = Int(String(decoding: pending[..<end], as: UTF8.self).split(separator: " ").dropFirst().first ?? "") ?? 0
            pending.removeFirst(end + 4)
            bodyStarted = true
        }
        return true
    }

    /// The next complete event in what was read (the body is chunked: chunk framing is dropped first).
    private func nextEvent() -> Event? {
        guard bodyStarted else { return nil }
        let text = String(decoding: TestHTTP.dechunkPartial(&pending), as: UTF8.self)
        decoded += text
        while let range = decoded.range(of: "\n\n") {
            let block = String(decoded[..<range.lowerBound])
            decoded = String(decoded[range.upperBound...])
            var id: UInt64?
            var type = ""
            var data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = UInt64(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            if let id { return Event(id: id, type: type, data: data) }
        }
        return nil
    }

    private var decoded = ""
}

extension TestHTTP {
    /// Takes the complete chunks off the front of `bytes` and returns their contents.
    static func dechunkPartial(_ bytes: inout [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        while let lineEnd = bytes.indices.dropLast().first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
              let size = Int(String(decoding: bytes[..<lineEnd], as: UTF8.self), radix: 16) {
            let start = lineEnd + 2
            guard bytes.count >= start + size + 2 else { break }
            out += bytes[start..<(start + size)]
            bytes.removeFirst(start + size + 2)
            if size == 0 { break }
        }
        return out
    }
}

/// Runs blocking client work on threads of its own (not Swift's cooperative pool, which tests running in
/// parallel may keep busy), `count` at once, and waits for all of them.
enum ClientThreads {
    static func run<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        let results = ResultsBox<T>(count)
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread.detachNewThread {
                results.set(index, Result { try body(index) })
                group.leave()
            }
        }
        group.wait()
        return try results.values()
    }

    /// Starts `count` clients now; `wait()` on the returned handle collects their results.
    static func start<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) -> Running<T> {
        let running = Running<T>(count)
        for index in 0..<count {
            running.group.enter()
            Thread.detachNewThread {
                running.results.set(index, Result { try body(index) })
                running.group.leave()
            }
        }
        return running
    }

    final class Running<T: Sendable>: @unchecked Sendable {
        let group = DispatchGroup()
        let results: ResultsBox<T>
        init(_ count: Int) { results = ResultsBox(count) }
        func wait() throws -> [T] {
            group.wait()
            return try results.values()
        }
    }

    final class ResultsBox<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<T, any Error>?]
        init(_ count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result<T, any Error>) { lock.withLock { slots[index] = result } }
        func values() throws -> [T] { try lock.withLock { slots }.map { try $0!.get() } }
    }
}
