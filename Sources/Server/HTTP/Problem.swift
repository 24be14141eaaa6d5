public import Application
public import HTTPTypes
public import Hummingbird
public import Marketplace
import EventLog
import NIOCore

/// An error answer in RFC 9457's `application/problem+json`: the HTTP status, a short `code` (the
/// rejection's code, or the error's class), a message that holds no personal data, and what to do.
public struct Problem: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var detail: String
    /// Seconds after which a retry may succeed (`Retry-After`, with 503).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, code: String, _ detail: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// The one mapping of the application's error classes to HTTP statuses (the CLI maps the same classes
    /// to exit codes): a rejected command 422 (400 when it is malformed), a conflict 409, busy 503,
    /// a usage error 400, a missing input 404, a full disk 507, a read-only store 503, damage 500.
    public init(_ error: ApplicationError, rejection: CommandRejection.Code? = nil) {
        let code = rejection?.rawValue ?? error.code
        switch error.status {
        case .rejected:
            self.init(rejection == .malformed ? .badRequest : .unprocessableContent, code: code, error.message)
        case .usage: self.init(.badRequest, code: code, error.message)
        case .missingInput: self.init(.notFound, code: code, error.message)
        case .temporary: self.init(.serviceUnavailable, code: code, error.message, retryAfter: 1)
        case .ioError: self.init(.init(code: 507, reasonPhrase: "Insufficient Storage"), code: code, error.message)
        case .readOnly: self.init(.serviceUnavailable, code: code, error.message, retryAfter: 60)
        case .damaged, .failure, .success: self.init(.internalServerError, code: code, error.message)
        }
    }

    /// A command's failure: a conflict with a concurrent command is 409, the rest as their class says.
    public init(market error: MarketplaceError) {
        if error.isConflict {
            self.init(.conflict, code: "conflict", ApplicationError(market: error).message)
        } else {
            self.init(ApplicationError(market: error), rejection: error.rejection?.code)
        }
    }

    /// The problem document.
    public var json: String {
        JSONText.object([
            ("type", JSONText.string("https://teamlog.dev/problems/\(code)")),
            ("title", JSONText.string(status.reasonPhrase)),
            ("status", String(status.code)),
            ("code", JSONText.string(code)),
            ("detail", JSONText.string(detail)),
        ])
    }

    public var response: Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json + "\n")))
    }
}

extension Problem: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response { response }
}

extension Problem {
    static func notFound(_ detail: String) -> Problem { Problem(.notFound, code: "notFound", detail) }
    static func badRequest(_ detail: String) -> Problem { Problem(.badRequest, code: "malformed", detail) }
    static func unauthorized(_ detail: String) -> Problem { Problem(.unauthorized, code: "unauthorized", detail) }
    static func forbidden(_ detail: String) -> Problem { Problem(.forbidden, code: "forbidden", detail) }
    static func tooLarge(_ detail: String) -> Problem { Problem(.contentTooLarge, code: "tooLarge", detail) }
}

extension MarketplaceError {
    /// A concurrent command changed a stream this one read (the marketplace's check or the log's).
    var isConflict: Bool {
        switch self {
        case .conflict: return true
        case .log(let error): if case .conflict = error { return true } else { return false }
        default: return false
        }
    }

    /// Another process holds the store's write lock.
    var isBusy: Bool {
        if case .log(let error) = self, case .busy = error { return true }
        return false
    }
}
