public import Foundation

/// Where the mirror's PostgreSQL database is and how to reach it, from a libpq-style URL and the
/// libpq environment variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`)
/// for what the URL leaves out.
///
/// `postgres://[user[:password]@][host][:port][/database][?host=/socket/dir&sslmode=…&sslrootcert=ca.pem]`
/// (`postgresql://` too). A `host` that starts with `/` (in the URL's query, or `PGHOST`) is the directory
/// of a unix socket: the socket is `<dir>/.s.PGSQL.<port>`. The password is never shown: `description`
/// leaves it out.
public struct PostgresEndpoint: Sendable, Hashable, CustomStringConvertible {
    public enum Address: Sendable, Hashable {
        case tcp(host: String, port: Int)
        /// The socket file's path.
        case unixSocket(path: String)
    }

    /// libpq's `sslmode`: `disable` never; `prefer` when the server offers it; `require` or refuse (the
    /// certificate unchecked, as libpq does); `verify-full` (and `verify-ca`): required, with the
    /// certificate checked against `sslrootcert` (or the system's roots) and the host name.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var address: Address
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// A PEM file of the certificate authorities to trust (`sslrootcert`), for `verify-full`.
    public var rootCertificate: String?

    public init(address: Address, user: String, password: String? = nil, database: String, tls: TLSMode = .prefer) {
        self.address = address
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// Parses `url` (nil: from the environment alone).
    public init(url: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(MirrorError) {
        var host = environment["PGHOST"].flatMap { $0.isEmpty ? nil : $0 }
        var port = environment["PGPORT"].flatMap(Int.init)
        var user = environment["PGUSER"].flatMap { $0.isEmpty ? nil : $0 }
        var password = environment["PGPASSWORD"]
        var database = environment["PGDATABASE"].flatMap { $0.isEmpty ? nil : $0 }
        var sslmode = environment["PGSSLMODE"]
        var rootCertificate = environment["PGSSLROOTCERT"]
        if let url {
            guard let components = URLComponents(string: url), let scheme = components.scheme,
                  scheme == "postgres" || scheme == "postgresql" else {
                throw .invalidURL(Self.redacted(url), reason: "expected postgres://[user[:password]@][host][:port][/database][?host=/socket/dir&sslmode=disable|prefer|require]")
            }
            if let value = components.host, !value.isEmpty { host = value.removingPercentEncoding ?? value }
            if let value = components.port { port = value }
            if let value = components.user, !value.isEmpty { user = value.removingPercentEncoding ?? value }
            if let value = components.password { password = value.removingPercentEncoding ?? value }
            let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            if !path.isEmpty { database = path.removingPercentEncoding ?? path }
            for item in components.queryItems ?? [] {
                switch item.name {
                case "host": if let value = item.value, !value.isEmpty { host = value }
                case "port":
                    guard let value = item.value.flatMap(Int.init) else {
                        throw .invalidURL(Self.redacted(url), reason: "the port must be a number")
                    }
                    port = value
                case "user": user = item.value
                case "password": password = item.value
                case "dbname": database = item.value
                case "sslmode": sslmode = item.value
                case "sslrootcert": rootCertificate = item.value
                case "application_name", "connect_timeout": break
                default:
                    throw .invalidURL(Self.redacted(url), reason: "unknown parameter '\(item.name)' (known: host, port, user, password, dbname, sslmode, sslrootcert)")
                }
            }
        }
        let resolvedPort = port ?? 5432
        guard (1...65535).contains(resolvedPort) else {
            throw .invalidURL(url.map(Self.redacted) ?? "(environment)", reason: "the port \(resolvedPort) is not between 1 and 65535")
        }
        let resolvedHost = host ?? "localhost"
        if resolvedHost.hasPrefix("/") {
            address = .unixSocket(path: (resolvedHost as NSString).appendingPathComponent(".s.PGSQL.\(resolvedPort)"))
        } else {
            address = .tcp(host: resolvedHost, port: resolvedPort)
        }
        guard let resolvedUser = user ?? environment["USER"] else {
            throw .invalidURL(url.map(Self.redacted) ?? "(environment)", reason: "no user: give one in the URL or PGUSER")
        }
        self.user = resolvedUser
        self.password = password
        self.database = database ?? resolvedUser
        let mode = sslmode ?? (resolvedHost.hasPrefix("/") ? "disable" : "prefer")
        switch mode {
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer
        case "require": tls = .require
        case "verify-ca", "verify-full": tls = .verifyFull
        default:
            throw .invalidURL(url.map(Self.redacted) ?? "(environment)", reason: "sslmode '\(mode)' is not one of disable, prefer, require, verify-full")
        }
        self.rootCertificate = rootCertificate
    }

    /// The endpoint as a URL without its password.
    public var description: String {
        switch address {
        case .tcp(let host, let port):
            return "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        case .unixSocket(let path):
            let directory = (path as NSString).deletingLastPathComponent
            return "postgres://\(user)@/\(database)?host=\(directory)"
        }
    }

    /// `url` with any password replaced by `***`, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(a URL that does not parse)" }
        if components.password != nil { components.password = "***" }
        if let items = components.queryItems {
            components.queryItems = items.map { $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0 }
        }
        return components.string ?? "(a URL that does not parse)"
    }
}
