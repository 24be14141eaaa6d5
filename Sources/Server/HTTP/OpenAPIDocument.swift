/// The OpenAPI 3.1 document of the server's API, as `GET /v1/openapi.json` serves it.
enum OpenAPIDocument {
    static let json = #"{"openapi":"3.1.0","info":{"title":"Teamlog","version":"1"},"paths":{}}"#
}
