import Application
import Hummingbird

/// Every failure a route throws becomes a problem document: the application's errors by their one
/// mapping (`Problem.init(_:)`), anything unexpected as a 500 whose detail names no internals.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = TeamlogRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return problem.response
        } catch let error as ApplicationError {
            return Problem(error).response
        } catch let error as HTTPError {
            return Problem(error.status, code: error.status == .notFound ? "notFound" : "malformed",
                           error.body ?? error.status.reasonPhrase).response
        } catch let error as any HTTPResponseError {
            return Problem(error.status, code: error.status == .contentTooLarge ? "tooLarge" : "malformed", error.status.reasonPhrase).response
        } catch {
            return Problem(.internalServerError, code: "failure", "the server failed unexpectedly; the request may not have been carried out: check GET /v1/status, then retry").response
        }
    }
}
