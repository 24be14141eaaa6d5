import Foundation

/// A real SMTP server on loopback (`Tools/smtp-sink.py`, aiosmtpd): each message it accepts is a file
/// the tests read. Killed with SIGKILL when done (or by a test, as a relay that dies).
final class SMTPSink {
    struct Message {
        var raw: String
        var from: String
        var to: [String]
        var tls: Bool

        /// A header's value (unfolded), nil when absent.
        func header(_ name: String) -> String? {
            let head = raw.components(separatedBy: "\r\n\r\n").first ?? raw
            let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
            for line in unfolded.components(separatedBy: "\r\n") where line.lowercased().hasPrefix(name.lowercased() + ":") {
                return String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
            }
            return nil
        }

        /// The body, quoted-printable decoded.
        var body: String {
            let parts = raw.components(separatedBy: "\r\n\r\n")
            let encoded = parts.dropFirst().joined(separator: "\r\n\r\n").replacingOccurrences(of: "=\r\n", with: "")
            var bytes: [UInt8] = []
            var index = encoded.utf8.startIndex
            let utf8 = encoded.utf8
            while index < utf8.endIndex {
                let byte = utf8[index]
                if byte == UInt8(ascii: "="), let end = utf8.index(index, offsetBy: 3, limitedBy: utf8.endIndex),
                   let value = UInt8(String(decoding: utf8[utf8.index(after: index)..<end], as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    index = end
                } else {
                    bytes.append(byte)
                    index = utf8.index(after: index)
                }
            }
            return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        }
    }

    static let script = CLI.packageRoot.appendingPathComponent("Tools/smtp-sink.py").path

    let directory: String
    let port: Int
    private let process: Process

    /// Starts the server and waits until it listens. `arguments`: `--refuse ADDRESS`, `--defer ADDRESS`,
    /// `--delay-data SECONDS`, `--tls-cert FILE --tls-key FILE`, `--port N`.
    init(directory: String, arguments: [String] = []) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "--dir", directory] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = Data()
        while !seen.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw CLI.Failure("the SMTP sink did not start (is aiosmtpd installed? Tools/test installs it)") }
            seen += chunk
        }
        let line = String(decoding: seen, as: UTF8.self)
        guard line.hasPrefix("listening "), let port = Int(line.dropFirst("listening ".count).prefix { $0.isNumber }) else {
            throw CLI.Failure("the SMTP sink said: \(line)")
        }
        self.port = port
    }

    deinit { kill() }

    var address: String { "127.0.0.1:\(port)" }

    /// SIGKILL: the relay dies without a goodbye.
    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The messages received so far, in order.
    func messages() throws -> [Message] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let base = directory + "/" + name.dropLast(4)
            let raw = try String(contentsOfFile: base + ".eml", encoding: .utf8)
            let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".json"))) as? [String: Any] ?? [:]
            return Message(raw: raw, from: envelope["from"] as? String ?? "", to: envelope["to"] as? [String] ?? [],
                           tls: envelope["tls"] as? Bool ?? false)
        }
    }

    /// A loopback port nothing listens on (bound, then closed).
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
