import Application
import Foundation
import Testing

/// The committed OpenAPI document against the running server: schemathesis (from PyPI; `Tools/test`
/// installs it) sends generated requests to every route and checks each answer's status, content type
/// and body against the document, and that nothing answers with a server error.
@Suite(.serialized) struct ServerOpenAPITests {
    static let schemathesis: String? = {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/st"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    @Test func everyRouteAnswersAsTheDocumentSays() throws {
        let st = try #require(Self.schemathesis, "schemathesis is not installed: run Tools/test (it installs it), or pip install schemathesis")
        let served = try ServedStore()
        let key = try served.key(actor: "system", role: "system")
        let result = try served.cli.run([
            "run", "\(served.url)/v1/openapi.json", "--header", "Authorization: Bearer \(key)",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples", "8", "--workers", "1", "--generation-deterministic", "--exclude-path", "/v1/events",
            "--request-timeout", "30",
        ], withStore: false, executable: st, directory: served.cli.root)
        #expect(result.status == 0, "\(result.stdout.suffix(6000))")
        try served.stop()
    }

    /// The document names every view of the query catalogue and every filter, no more: a view or filter
    /// added to the catalogue and not to Tools/openapi/generate.py fails here.
    @Test func theDocumentNamesEveryViewAndFilterOfTheCatalogue() throws {
        let served = try ServedStore(setup: ["init"])
        let document = try served.http.get("/v1/openapi.json").json()
        let components = document["components"] as? [String: Any] ?? [:]
        let parameters = components["parameters"] as? [String: [String: Any]] ?? [:]
        let views = (parameters["view"]?["schema"] as? [String: Any])?["enum"] as? [String] ?? []
        #expect(views == QueryView.all.map(\.name))
        let filters = Set(parameters.keys).subtracting(["view", "showToken"])
        let camel = QueryFilter.all.map { filter in
            filter.name.split(separator: "-").enumerated().map { $0 == 0 ? String($1) : $1.capitalized }.joined()
        }
        #expect(filters == Set(camel))
        #expect(parameters["showToken"] != nil)
        try served.stop()
    }
}
