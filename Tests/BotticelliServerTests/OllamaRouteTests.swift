import BotticelliCore
import BotticelliServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The Ollama routes against a stand-in engine.
@Suite("Ollama routes")
struct OllamaRouteTests {
    static func lines(_ buffer: ByteBuffer) throws -> [[String: Any]] {
        try String(buffer: buffer).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("version, tags and ps")
    func listings() async throws {
        try await OpenAIRouteTests.application().test(.router) { client in
            let version = try OpenAIRouteTests.json(try await client.execute(uri: "/api/version", method: .get).body)
            #expect(version["version"] as? String != nil)
            let tags = try OpenAIRouteTests.json(try await client.execute(uri: "/api/tags", method: .get).body)
            let model = try #require((tags["models"] as? [[String: Any]])?.first)
            #expect(model["name"] as? String == "stand-in:latest")
            #expect(model["size"] as? Int == 1234)
            #expect((model["details"] as? [String: Any])?["quantization_level"] as? String == "Q4_1")
            let ps = try OpenAIRouteTests.json(try await client.execute(uri: "/api/ps", method: .get).body)
            #expect((ps["models"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("chat streams JSON lines and ends with done and counts")
    func chatStreaming() async throws {
        let engine = StandInEngine()
        try await OpenAIRouteTests.application(engine: engine).test(.router) { client in
            let response = try await OpenAIRouteTests.post(
                client, "/api/chat",
                #"{"model":"stand-in","messages":[{"role":"user","content":"Hi"}],"options":{"temperature":0,"num_predict":3,"seed":5,"stop":["zz"],"typical_p":0.7,"mirostat":2,"mirostat_tau":3,"mirostat_eta":0.3}}"#
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/x-ndjson")
            let lines = try Self.lines(response.body)
            let text = lines.compactMap { ($0["message"] as? [String: Any])?["content"] as? String }.joined()
            #expect(text == "Hello, world")
            let last = try #require(lines.last)
            #expect(last["done"] as? Bool == true)
            #expect(last["done_reason"] as? String == "length")
            #expect(last["eval_count"] as? Int == 3)
            #expect(last["prompt_eval_count"] as? Int == 7)
        }
        let request = try #require(engine.requests.first)
        #expect(request.maxTokens == 3)
        #expect(request.sampling.temperature == 0)
        #expect(request.stop == ["zz"])
        #expect(request.sampling.typicalP == 0.7)
        #expect(request.sampling.mirostat == 2)
        #expect(request.sampling.mirostatTau == 3)
        #expect(request.sampling.mirostatEta == 0.3)
    }

    @Test("generate without streaming, through the chat template unless raw")
    func generate() async throws {
        let engine = StandInEngine()
        try await OpenAIRouteTests.application(engine: engine).test(.router) { client in
            let response = try await OpenAIRouteTests.post(
                client, "/api/generate", #"{"model":"stand-in","prompt":"Why?","system":"Be kind.","stream":false}"#)
            let body = try OpenAIRouteTests.json(response.body)
            #expect(body["response"] as? String == "Hello, world!")
            #expect(body["done"] as? Bool == true)
            _ = try await OpenAIRouteTests.post(
                client, "/api/generate", #"{"model":"stand-in","prompt":"Why?","raw":true,"stream":false}"#)
        }
        #expect(
            engine.requests[0].input
                == .chat([.init(role: "system", content: "Be kind."), .init(role: "user", content: "Why?")]))
        #expect(engine.requests[1].input == .text("Why?"))
    }

    @Test("format json and a schema become constraints")
    func formats() async throws {
        let engine = StandInEngine()
        try await OpenAIRouteTests.application(engine: engine).test(.router) { client in
            _ = try await OpenAIRouteTests.post(
                client, "/api/generate", #"{"model":"stand-in","prompt":"x","format":"json","stream":false}"#)
            _ = try await OpenAIRouteTests.post(
                client, "/api/generate",
                #"{"model":"stand-in","prompt":"x","format":{"type":"object"},"stream":false}"#)
            // Ollama reads an empty format as none.
            _ = try await OpenAIRouteTests.post(
                client, "/api/generate", #"{"model":"stand-in","prompt":"x","format":"","stream":false}"#)
            let bad = try await OpenAIRouteTests.post(
                client, "/api/generate", #"{"model":"stand-in","prompt":"x","format":"yaml"}"#)
            #expect(bad.status == .badRequest)
            #expect(try OpenAIRouteTests.json(bad.body)["error"] is String)
        }
        #expect(engine.requests[0].constraint == .jsonObject)
        #expect(engine.requests[1].constraint == .jsonSchema(#"{"type":"object"}"#))
        #expect(engine.requests[2].constraint == nil)
    }

    @Test("embed, show, and errors as {\"error\": message}")
    func embedShowErrors() async throws {
        try await OpenAIRouteTests.application().test(.router) { client in
            let embed = try OpenAIRouteTests.json(
                try await OpenAIRouteTests.post(client, "/api/embed", #"{"model":"stand-in","input":["a","b"]}"#).body)
            #expect((embed["embeddings"] as? [[Double]])?.count == 2)
            let legacy = try OpenAIRouteTests.json(
                try await OpenAIRouteTests.post(client, "/api/embeddings", #"{"model":"stand-in","prompt":"a"}"#)
                    .body)
            #expect(legacy["embedding"] as? [Double] == [0.5, 0.5, 0.5, 0.5])
            let loadOnly = try OpenAIRouteTests.json(
                try await OpenAIRouteTests.post(client, "/api/embeddings", #"{"model":"stand-in"}"#).body)
            #expect(loadOnly["embedding"] as? [Double] == [])
            let legacyMissing = try await OpenAIRouteTests.post(
                client, "/api/embeddings", #"{"model":"nope","prompt":"a"}"#)
            #expect(legacyMissing.status == .notFound)
            let show = try OpenAIRouteTests.json(
                try await OpenAIRouteTests.post(client, "/api/show", #"{"model":"stand-in"}"#).body)
            #expect((show["model_info"] as? [String: Any])?["llama.context_length"] as? Int == 2048)
            let missing = try await OpenAIRouteTests.post(
                client, "/api/chat", #"{"model":"nope","messages":[{"role":"user","content":"Hi"}]}"#)
            #expect(missing.status == .notFound)
            #expect(try OpenAIRouteTests.json(missing.body)["error"] is String)
            let malformed = try await OpenAIRouteTests.post(client, "/api/chat", "{")
            #expect(malformed.status == .badRequest)
        }
    }

    @Test("the API key's 401 comes in Ollama's shape on /api routes, OpenAI's elsewhere, with CORS headers")
    func unauthorized() async throws {
        let application = OpenAIRouteTests.application { configuration in
            configuration.apiKey = "secret"
            configuration.corsOrigins = ["*"]
        }
        try await application.test(.router) { client in
            let ollama = try await client.execute(uri: "/api/tags", method: .get, headers: [.origin: "http://a.test"])
            #expect(ollama.status == .unauthorized)
            #expect(try OpenAIRouteTests.json(ollama.body)["error"] is String)
            #expect(ollama.headers[.accessControlAllowOrigin] == "*")
            let openAI = try await client.execute(uri: "/v1/models", method: .get)
            #expect(openAI.status == .unauthorized)
            #expect(try OpenAIRouteTests.json(openAI.body)["error"] is [String: Any])
        }
    }
}
