import BotticelliCore
import BotticelliServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The web page's files, `/status` and `/registry`, without a socket. The page itself is tested in a browser by
/// Tests/python/test_web_page.py.
@Suite("Web page routes")
struct WebPageRouteTests {
    static func application(
        library: (any ModelLibrary)? = StandInLibrary(), configure: (inout ServerConfiguration) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var configuration = ServerConfiguration()
        configure(&configuration)
        let router = BotticelliApplication.router(
            provider: SingleModelProvider(engine: StandInEngine()), library: library, configuration: configuration,
            metrics: ServerMetrics(), logger: Logger(label: "test"))
        return Application(router: router)
    }

    @Test("the page and its files, with their types and a policy that allows no outside or inline script")
    func files() async throws {
        try await Self.application().test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'"))
            #expect(policy.contains("connect-src 'self'"))
            #expect(!policy.contains("unsafe-inline"))
            let html = String(buffer: page.body)
            #expect(html.contains("<script src=\"/ui/app.js\""))
            #expect(!html.contains("http://") && !html.contains("https://"), "the page must work offline")
            for (file, type) in [
                ("app.js", "text/javascript"), ("markdown.js", "text/javascript"), ("style.css", "text/css"),
                ("icon.svg", "image/svg+xml"),
            ] {
                let response = try await client.execute(uri: "/ui/\(file)", method: .get)
                #expect(response.status == .ok, "\(file)")
                #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(file)")
                #expect(response.body.readableBytes > 100, "\(file)")
            }
        }
    }

    @Test("only the page's own files are served: other names and paths that climb out are 404")
    func unknownFiles() async throws {
        try await Self.application().test(.router) { client in
            for uri in ["/ui/nope.js", "/ui/..%2FPackage.swift", "/ui/%2E%2E%2Fopenapi.json", "/ui/", "/ui/index.htm"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
            }
        }
    }

    @Test("with an API key the page loads without it, and its data routes need it")
    func apiKey() async throws {
        try await Self.application(configure: { $0.apiKey = "secret-key" }).test(.router) { client in
            for uri in ["/", "/ui/app.js", "/ui/style.css"] {
                #expect(try await client.execute(uri: uri, method: .get).status == .ok, "\(uri)")
            }
            for uri in ["/status", "/registry"] {
                #expect(try await client.execute(uri: uri, method: .get).status == .unauthorized, "\(uri)")
                let allowed = try await client.execute(
                    uri: uri, method: .get, headers: [.authorization: "Bearer secret-key"])
                #expect(allowed.status == .ok, "\(uri)")
            }
            // The exemption is for reading the page, not for posting to its paths.
            #expect(try await client.execute(uri: "/", method: .post).status == .unauthorized)
        }
    }

    @Test("/status: the loaded model with its sequences, queue and context")
    func status() async throws {
        try await Self.application().test(.router) { client in
            let response = try await client.execute(uri: "/status", method: .get)
            #expect(response.status == .ok)
            let status = try OpenAIRouteTests.json(response.body)
            #expect(status["version"] as? String == Botticelli.version)
            #expect(status["busy_sequences"] as? Int == 0)
            #expect(status["manages_models"] as? Bool == true)
            let models = try #require(status["models"] as? [[String: Any]])
            #expect(models.count == 1)
            #expect(models.first?["id"] as? String == StandInEngine().model.id)
            #expect((models.first?["parallel_sequences"] as? Int ?? 0) > 0)
            #expect(models.first?["context_size"] as? Int != nil)
        }
    }

    @Test("/registry: the machine, the recommendation and every registry model with its fit")
    func registry() async throws {
        try await Self.application().test(.router) { client in
            let response = try await client.execute(uri: "/registry", method: .get)
            #expect(response.status == .ok)
            let catalog = try OpenAIRouteTests.json(response.body)
            let machine = try #require(catalog["machine"] as? [String: Any])
            #expect(machine["total_memory_bytes"] as? Int == 16 << 30)
            #expect(machine["cpu_cores"] as? Int == 4)
            let models = try #require(catalog["models"] as? [[String: Any]])
            #expect(models.count == (try ModelRegistry.builtIn()).models.count)
            #expect(models.allSatisfy { ["yes", "tight", "no"].contains($0["fits"] as? String ?? "") })
            #expect(models.allSatisfy { $0["downloaded"] as? Bool == false })
            let recommendation = try #require(catalog["recommendation"] as? [String: Any])
            let recommended = models.filter { $0["recommended"] as? Bool == true }.compactMap { $0["id"] as? String }
            #expect(recommended == [recommendation["id"] as? String].compactMap { $0 })
            // Memory is the weights plus the KV cache and buffers: always more than the download.
            #expect(models.allSatisfy { ($0["ram_bytes"] as? Int ?? 0) > ($0["size_bytes"] as? Int ?? .max) })
        }
    }

    @Test("a server without a model cache has no /registry, and /status says so")
    func withoutLibrary() async throws {
        try await Self.application(library: nil).test(.router) { client in
            #expect(try await client.execute(uri: "/registry", method: .get).status == .notFound)
            let status = try OpenAIRouteTests.json(try await client.execute(uri: "/status", method: .get).body)
            #expect(status["manages_models"] as? Bool == false)
        }
    }
}
