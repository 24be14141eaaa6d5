public import EventLog
public import Projections

/// The store's status as JSON, as `teamlog status --format json` prints it and `GET /v1/status` sends it.
public enum StatusJSON {
    public static func object(store: String? = nil, storeId: String, head: LogHead, views: [ViewStatus]) -> String {
        let viewObjects = views.map { view in
            JSONText.object([
                ("name", JSONText.string(view.name)), ("schemaVersion", String(view.schemaVersion)),
                ("storedSchemaVersion", view.storedSchemaVersion.map(String.init) ?? "null"),
                ("checkpoint", String(view.checkpoint)), ("lag", view.lag.map(String.init) ?? "null"),
                ("needsRebuild", view.needsRebuild ? "true" : "false"),
                ("aheadOfLog", String(view.aheadOfLog)),
                ("fingerprint", view.fingerprint.map(JSONText.string) ?? "null"),
                ("rows", JSONText.object(view.rowCounts.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) })),
                ("path", JSONText.string(view.path)),
            ])
        }
        var pairs: [(String, String)] = []
        if let store { pairs.append(("store", JSONText.string(store))) }
        pairs += [
            ("storeId", JSONText.string(storeId)),
            ("head", JSONText.object([("position", String(head.position)), ("commits", String(head.commits)),
                                      ("hash", JSONText.string(head.hashHex))])),
            ("views", JSONText.array(viewObjects)),
        ]
        return JSONText.object(pairs)
    }
}
