import Foundation

/// `<store>/server.json`: where the server that holds the store's write lock listens, so a `teamlog`
/// write command that finds the store locked can say where to send the command instead.
public enum ServerAdvertisement {
    public static func path(storeDirectory: String) -> String {
        (storeDirectory as NSString).appendingPathComponent("server.json")
    }

    static func write(url: String, storeDirectory: String) {
        let text = "{\"url\":\"\(url)\",\"pid\":\(getpid())}\n"
        let path = path(storeDirectory: storeDirectory)
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return }
        rename(temporary, path)
    }

    static func remove(storeDirectory: String) {
        unlink(path(storeDirectory: storeDirectory))
    }

    /// The URL a running server advertised, if its process is still alive.
    public static func url(storeDirectory: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path(storeDirectory: storeDirectory)),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let url = object["url"] as? String else { return nil }
        if let pid = object["pid"] as? Int, kill(pid_t(pid), 0) != 0, errno == ESRCH { return nil }
        return url
    }
}
