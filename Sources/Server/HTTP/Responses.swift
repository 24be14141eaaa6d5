import Hummingbird
import NIOCore

/// The server's JSON answers.
enum Responses {
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    static func jsonLines(_ lines: [String], status: HTTPResponse.Status = .ok) -> Response {
        var text = lines.joined(separator: "\n")
        if !lines.isEmpty { text += "\n" }
        return Response(status: status, headers: [.contentType: "application/x-ndjson"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The body, up to `limit` bytes: a larger one is 413.
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw Problem.tooLarge("the body is larger than \(limit) bytes: send less per request")
        }
    }
}
