import GRDB
import Projections
import Testing

/// The CLI's filtered queries reach the indexes documented for them, instead of scanning their table
/// (a scan of every invitation on a 10-million-event store takes about 100 ms; an index lookup, a few).
@Suite struct QueryPlanTests {
    let dir = TemporaryDirectory()

    init() throws {
        let store = makeStore()
        try MarketplaceHistory.build(store)
        let runner = try ProjectionRunner(storeDirectory: dir.path)
        try runner.catchUp(store)
        runner.close()
    }

    /// SQLite's plan for `sql` over the view's file, one detail line per step.
    func plan(view: String, _ query: (sql: String, filter: ColumnFilter)) throws -> [String] {
        let file = try DatabaseQueue(path: dir.file("views/\(view).sqlite"))
        defer { try? file.close() }
        return try file.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query.sql, arguments: query.filter.arguments).map { $0["detail"] }
        }
    }

    @Test func invitationsOfOneInviterOrOneEmailAreFoundThroughTheirIndexes() throws {
        let byInviter = try plan(view: "invitations", ReadModelQueries.invitationsQuery(invitedBy: "p1", email: nil, kind: nil, status: nil))
        #expect(byInviter.contains { $0.contains("USING INDEX invitations_by_inviter") }, "\(byInviter)")
        let byEmail = try plan(view: "invitations", ReadModelQueries.invitationsQuery(invitedBy: nil, email: "a@example.org", kind: nil, status: "pending"))
        #expect(byEmail.contains { $0.contains("USING INDEX invitations_by_email") }, "\(byEmail)")
    }

    @Test func jobsOfOnePosterAndUsersOfOneRoleAreFoundThroughTheirIndexes() throws {
        let jobs = try plan(view: "jobs", ReadModelQueries.jobsQuery(postedBy: "b1"))
        #expect(jobs.contains { $0.contains("INDEX job_postings_by_poster") }, "\(jobs)")
        let users = try plan(view: "users", ReadModelQueries.usersQuery(role: "provider"))
        #expect(users.contains { $0.contains("INDEX users_by_role") }, "\(users)")
    }
}
