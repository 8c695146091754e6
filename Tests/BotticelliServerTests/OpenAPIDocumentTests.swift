import BotticelliCore
import BotticelliServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// /openapi.json: it parses, and it describes exactly the routes the router has.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static func routes(configure: (inout ServerConfiguration) -> Void = { _ in }) -> Set<String> {
        var configuration = ServerConfiguration()
        configure(&configuration)
        let router = BotticelliApplication.router(
            provider: SingleModelProvider(engine: StandInEngine()), library: StandInLibrary(),
            configuration: configuration, metrics: ServerMetrics(), logger: Logger(label: "test"))
        return Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path)" })
    }

    static func document() async throws -> [String: Any] {
        let body = try await OpenAIRouteTests.application().test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            return response.body
        }
        return try OpenAIRouteTests.json(body)
    }

    @Test("served as JSON, OpenAPI 3.1, with this build's version")
    func parses() async throws {
        let document = try await Self.document()
        #expect(document["openapi"] as? String == "3.1.0")
        #expect((document["info"] as? [String: Any])?["version"] as? String == Botticelli.version)
    }

    @Test("every route the router has is documented, and nothing else")
    func coversTheRouter() async throws {
        let paths = try #require(try await Self.document()["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
        let routes = Self.routes { configuration in
            configuration.apiKey = "key"
            configuration.corsOrigins = ["*"]
        }
        #expect(routes.count >= 27)
        #expect(routes == documented)
        // The same list, written out, for a reviewer to compare with the route files.
        #expect(
            routes.isSuperset(of: [
                "get /health", "get /metrics", "get /openapi.json", "post /tokenize", "post /detokenize",
                "post /apply-template", "post /completion", "get /props",
                "get /v1/models", "get /v1/models/{id}", "post /v1/chat/completions", "post /v1/completions",
                "post /v1/embeddings", "get /api/version", "get /api/tags", "get /api/ps", "post /api/show",
                "post /api/chat", "post /api/generate", "post /api/embed", "post /api/embeddings",
                "post /api/pull", "delete /api/delete",
                "get /", "get /ui/{file}", "get /status", "get /registry",
            ]))
    }

    @Test("every operation documents its error statuses with a schema")
    func errorResponses() async throws {
        let document = try await Self.document()
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        for (path, operations) in paths {
            for (method, operation) in operations {
                let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path)")
                #expect(responses["200"] != nil, "\(method) \(path)")
                if method == "post" {
                    #expect(responses["400"] != nil, "\(method) \(path) documents no 400")
                    #expect(responses["413"] != nil, "\(method) \(path) documents no 413")
                }
            }
        }
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        #expect(schemas["OpenAIError"] != nil)
        #expect(schemas["OllamaError"] != nil)
    }
}
