/// What every invitation email shares: who sends it, the marketplace's base URL that its links start with,
/// and the domain its Message-IDs are made in.
public struct MailSettings: Sendable, Hashable {
    /// The envelope sender and the `From:` address.
    public var from: String
    /// The base URL of the signup links, without a trailing slash (e.g. `https://www.odesk.com`).
    public var baseURL: String
    /// The right-hand side of the Message-IDs: the domain of `from`.
    public var messageIdDomain: String

    /// Checks the settings: `from` a plain address (no spaces, angle brackets or line breaks), the base
    /// URL an `http` or `https` URL.
    public init(from: String, baseURL: String) throws(MailError) {
        let parts = from.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, from.utf8.count <= 254,
              from.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !"<>()[],;:\"\\".utf8.contains($0) }) else {
            throw MailError.settings("the sender address must be a plain address such as invitations@odesk.com (no name, spaces or angle brackets)")
        }
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("http://") || base.hasPrefix("https://"), base.utf8.count > "https://".utf8.count,
              base.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }) else {
            throw MailError.settings("the base URL must be an http:// or https:// URL without a query, such as https://www.odesk.com")
        }
        self.from = from
        self.baseURL = base
        self.messageIdDomain = String(parts[1]).lowercased()
    }
}
