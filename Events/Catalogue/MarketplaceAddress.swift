/// The marketplace email address of a user: `USERID@odesk.com`.
public enum MarketplaceAddress {
    public static let domain = "odesk.com"
    public static func of(_ userId: String) -> String { userId + "@" + domain }
}
