import Application
import Testing

/// The query catalogue's checks, as any front end gets them (the CLI's `query`, a server's `GET /v1/views`):
/// a usage error naming what to give instead.
@Suite struct QueryCatalogueTests {
    static func refusal(_ view: String, key: String? = nil, filters: [String: String] = [:]) -> ApplicationError? {
        do throws(ApplicationError) {
            _ = try QueryRequest(view: view, key: key, filters: filters)
            return nil
        } catch {
            return error
        }
    }

    @Test func badQueriesAreUsageErrorsThatSayWhatToGive() {
        let cases: [(error: ApplicationError?, mentions: String)] = [
            (Self.refusal("nonsense"), "the views are: inbox, team-roster"),
            (Self.refusal("inbox"), "'inbox' needs a <user-id>, e.g. teamlog query inbox u-sam"),
            (Self.refusal("users", key: "u-1"), "'users' takes no key (got 'u-1')"),
            (Self.refusal("users", filters: ["role": "king"]), "--role takes one of: buyer, provider"),
            (Self.refusal("invitations", filters: ["colour": "red"]), "there is no filter 'colour'; the filters are: role, posted-by"),
        ]
        for (error, mentions) in cases {
            #expect(error?.status == .usage, "\(mentions)")
            #expect(error?.message.contains(mentions) == true, "\(error?.message ?? "accepted"): \(mentions)")
            #expect(error?.json().hasPrefix(#"{"ok":false,"code":"usage","error":"#) == true)
        }
    }

    @Test func aGoodQueryCarriesItsKeyAndFilters() throws {
        let request = try QueryRequest(view: "invitations", key: nil, filters: ["invited-by": "u-amy", "status": "pending"])
        #expect(request.view.name == "invitations")
        #expect(request.arguments.invitedBy == "u-amy" && request.arguments.status == "pending" && request.arguments.kind == nil)
        #expect(try QueryRequest(view: "inbox", key: "u-sam", filters: [:]).arguments.key == "u-sam")
    }
}
