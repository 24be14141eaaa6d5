import Foundation
import Testing

/// The operator's views over HTTP: a signup token only for an operator key that asks for it.
@Suite struct ServerOperatorQueryTests {
    @Test func onlyAnOperatorIsShownATokenAndOnlyWhenAsking() throws {
        let served = try ServedStore()
        let op = try served.key(actor: "u-ops", role: "operator")
        let auditor = try served.key(actor: "u-audit", role: "auditor")
        let amy = try served.key(actor: "u-amy", role: "user")
        let hidden = try served.http.get("/v1/views/invitation/inv-raj", key: op)
        #expect(hidden.status == 200)
        #expect(!hidden.text.contains("\"token\""))
        let shown = try served.http.get("/v1/views/invitation/inv-raj?showToken=true", key: op)
        #expect(shown.status == 200)
        #expect(shown.text.contains("\"token\""))
        #expect(try served.http.get("/v1/views/invitation/inv-raj?showToken=true", key: auditor).status == 403)
        #expect(try served.http.get("/v1/views/invitation/inv-raj", key: amy).status == 403)
        #expect(try served.http.get("/v1/views/invitation/inv-nope", key: op).status == 404)
        #expect(try served.http.get("/v1/views/all-teams", key: op).status == 200)
        #expect(try served.http.get("/v1/views/user-assignments/u-amy", key: amy).status == 200)
        #expect(try served.http.get("/v1/views/user-assignments/u-bob", key: amy).status == 403)
        #expect(try served.http.get("/v1/views/invitations?invitee=raj@example.com", key: op).status == 200)
        try served.stop()
    }
}
