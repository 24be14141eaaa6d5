import Access
import Application
import Hummingbird
import Projections

/// `GET /v1/views/{view}/{key}`, `GET /v1/views/{view}?filter=…` and `GET /v1/sql?q=…`.
extension ServerServices {
    func addViewRoutes(to router: Router<TeamlogRequestContext>) {
        router.get("/v1/views/:view/:key") { request, context in
            try await answer(view: context.parameters.get("view") ?? "", key: context.parameters.get("key"), request: request, context: context)
        }
        router.get("/v1/views/:view") { request, context in
            try await answer(view: context.parameters.get("view") ?? "", key: nil, request: request, context: context)
        }
        router.get("/v1/sql") { request, context in
            try ReadAuthorization.check(context, .sql)
            guard let sql = request.uri.queryParameters.get("q"), !sql.isEmpty else {
                throw Problem.badRequest("give the statement as ?q=SELECT…")
            }
            do throws(ApplicationError) { try ReadOnlySQLGuard.check(sql) } catch { throw Problem(error) }
            let limit = configuration.sqlTimeLimitSeconds
            let views = self.views
            let text = try await Blocking.run {
                try views.withRunner { runner, _ throws(ApplicationError) in
                    do throws(ProjectionError) {
                        return ResultRenderer.json(try runner.readOnlySQL(sql, timeLimit: limit))
                    } catch {
                        throw ApplicationError(projection: error)
                    }
                }
            }
            return Responses.json(text)
        }
    }

    /// A view's answer as `teamlog query --format json` prints it; the filters are query parameters
    /// named as the CLI's options (`posted-by`) or in camel case (`postedBy`).
    func answer(view: String, key: String?, request: Request, context: TeamlogRequestContext) async throws -> Response {
        let principal = try context.caller()
        guard QueryView.named(view) != nil else {
            throw Problem.notFound("there is no view '\(view)'; the views are: \(QueryView.all.map(\.name).joined(separator: ", "))")
        }
        var filters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            filters[QueryFilter.optionName(String(name))] = String(value)
        }
        let query: QueryRequest
        do throws(ApplicationError) {
            query = try QueryRequest(view: view, key: key, filters: filters)
        } catch {
            throw Problem(error)
        }
        let views = self.views
        let read = ReadRequest.view(name: view, key: key, filters: filters)
        let sections = try await Blocking.run { () throws -> [ResultSection] in
            try views.answer(query, authorizing: principal, read: read)
        }
        return Responses.json(ResultRenderer.lines(sections, format: .json).joined(separator: "\n"))
    }
}
