import BotticelliCore
import BotticelliServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The OpenAI routes against a stand-in engine, without sockets.
@Suite("OpenAI routes")
struct OpenAIRouteTests {
    static func application(
        engine: StandInEngine = StandInEngine(), configure: (inout ServerConfiguration) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var configuration = ServerConfiguration()
        configure(&configuration)
        let router = BotticelliApplication.router(
            provider: SingleModelProvider(engine: engine), configuration: configuration, metrics: ServerMetrics(),
            logger: Logger(label: "test"))
        return Application(router: router)
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, _ body: String) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
    }

    @Test("chat completion: message, finish reason, usage")
    func chatCompletion() async throws {
        let engine = StandInEngine()
        try await Self.application(engine: engine).test(.router) { client in
            let response = try await Self.post(
                client, "/v1/chat/completions",
                #"{"model":"stand-in","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],"max_tokens":10,"temperature":0.2,"stop":"x","seed":7}"#
            )
            #expect(response.status == .ok)
            let body = try Self.json(response.body)
            #expect(body["object"] as? String == "chat.completion")
            let choice = try #require((body["choices"] as? [[String: Any]])?.first)
            #expect((choice["message"] as? [String: Any])?["content"] as? String == "Hello, world!")
            #expect(choice["finish_reason"] as? String == "stop")
            let usage = try #require(body["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == 7)
            #expect(usage["completion_tokens"] as? Int == 4)
            #expect(usage["total_tokens"] as? Int == 11)
            #expect(response.headers[.init("X-Request-Id")!] != nil)
        }
        let request = try #require(engine.requests.first)
        #expect(
            request.input == .chat([.init(role: "system", content: "Be brief."), .init(role: "user", content: "Hi")]))
        #expect(request.maxTokens == 10)
        #expect(request.stop == ["x"])
        #expect(request.sampling.seed == 7)
        #expect(request.sampling.temperature == 0.2)
    }

    @Test("streaming: role first, content chunks, finish, usage, [DONE]")
    func streaming() async throws {
        try await Self.application().test(.router) { client in
            let response = try await Self.post(
                client, "/v1/chat/completions",
                #"{"messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let lines = String(buffer: response.body).split(separator: "\n\n").map(String.init)
            #expect(lines.last == "data: [DONE]")
            let events = try lines.dropLast().map { line in
                try #require(
                    try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any])
            }
            let deltas = events.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
            #expect(deltas.first?["role"] as? String == "assistant")
            #expect(deltas.compactMap { $0["content"] as? String }.joined() == "Hello, world!")
            let finish = events.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
            #expect(finish == ["stop"])
            let usage = try #require(events.last?["usage"] as? [String: Any])
            #expect(usage["completion_tokens"] as? Int == 4)
        }
    }

    @Test("a GBNF grammar (llama-server's extension) constrains chat and text completions; with response_format: 400")
    func grammar() async throws {
        let engine = StandInEngine()
        try await Self.application(engine: engine).test(.router) { client in
            let chat = try await Self.post(
                client, "/v1/chat/completions",
                #"{"messages":[{"role":"user","content":"Hi"}],"grammar":"root ::= \"yes\""}"#)
            #expect(chat.status == .ok)
            #expect(engine.requests.last?.constraint == .grammar(#"root ::= "yes""#))
            let text = try await Self.post(client, "/v1/completions", #"{"prompt":"Hi","grammar":"root ::= [a-z]+"}"#)
            #expect(text.status == .ok)
            #expect(engine.requests.last?.constraint == .grammar("root ::= [a-z]+"))
            let both = try await Self.post(
                client, "/v1/chat/completions",
                #"{"messages":[{"role":"user","content":"Hi"}],"grammar":"root ::= \"a\"","response_format":{"type":"json_object"}}"#
            )
            #expect(both.status == .badRequest)
        }
    }

    @Test("ignore_eos (llama-server's extension) reaches the engine on both completion routes")
    func ignoreEndOfGeneration() async throws {
        let engine = StandInEngine()
        try await Self.application(engine: engine).test(.router) { client in
            _ = try await Self.post(
                client, "/v1/chat/completions", #"{"messages":[{"role":"user","content":"Hi"}],"ignore_eos":true}"#)
            #expect(engine.requests.last?.ignoreEndOfGeneration == true)
            _ = try await Self.post(client, "/v1/completions", #"{"prompt":"Hi","ignore_eos":true}"#)
            #expect(engine.requests.last?.ignoreEndOfGeneration == true)
            _ = try await Self.post(client, "/v1/completions", #"{"prompt":"Hi"}"#)
            #expect(engine.requests.last?.ignoreEndOfGeneration == false)
        }
    }

    @Test("llama-server's sampler fields reach the engine on both completion routes; bad values are refused by name")
    func samplerExtras() async throws {
        let engine = StandInEngine()
        try await Self.application(engine: engine).test(.router) { client in
            _ = try await Self.post(
                client, "/v1/chat/completions",
                #"{"messages":[{"role":"user","content":"Hi"}],"repeat_last_n":-1,"dry_multiplier":0.5,"mirostat":1}"#)
            let chat = try #require(engine.requests.last).sampling
            #expect(chat.penaltyWindow == -1, "the engine resolves -1 to the whole context")
            #expect(chat.dryMultiplier == 0.5)
            #expect(chat.mirostat == 1)
            _ = try await Self.post(
                client, "/v1/completions", #"{"prompt":"Hi","typical_p":0.6,"xtc_probability":0.3}"#)
            let completion = try #require(engine.requests.last).sampling
            #expect(completion.typicalP == 0.6)
            #expect(completion.xtcProbability == 0.3)
            for (body, field) in [
                (#"{"prompt":"Hi","mirostat":5}"#, "mirostat"),
                (#"{"prompt":"Hi","repeat_last_n":-3}"#, "repeat_last_n"),
                (#"{"prompt":"Hi","dry_multiplier":-1}"#, "dry_multiplier"),
            ] {
                let response = try await Self.post(client, "/v1/completions", body)
                #expect(response.status == .badRequest, "\(body)")
                #expect((try Self.json(response.body)["error"] as? [String: Any])?["param"] as? String == field)
            }
        }
    }

    @Test("a body that is not UTF-8 is a 400 that says so")
    func invalidUTF8() async throws {
        try await Self.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(
                    bytes: Array(#"{"messages":[{"role":"user","content":""#.utf8) + [0xFF, 0xFE] + Array(#""}]}"#.utf8)
                ))
            #expect(response.status == .badRequest)
            let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
            #expect((error["message"] as? String)?.contains("UTF-8") == true)
        }
    }

    @Test("max_tokens cuts with finish reason length")
    func length() async throws {
        try await Self.application().test(.router) { client in
            let response = try await Self.post(
                client, "/v1/chat/completions", #"{"messages":[{"role":"user","content":"Hi"}],"max_tokens":2}"#)
            let choice = try #require((try Self.json(response.body)["choices"] as? [[String: Any]])?.first)
            #expect(choice["finish_reason"] as? String == "length")
            #expect((choice["message"] as? [String: Any])?["content"] as? String == "Hello,")
        }
    }

    @Test("logprobs are returned in OpenAI's shape")
    func logprobs() async throws {
        try await Self.application().test(.router) { client in
            let response = try await Self.post(
                client, "/v1/chat/completions",
                #"{"messages":[{"role":"user","content":"Hi"}],"logprobs":true,"top_logprobs":2}"#)
            let choice = try #require((try Self.json(response.body)["choices"] as? [[String: Any]])?.first)
            let content = try #require((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
            #expect(content.count == 4)
            #expect((content[0]["top_logprobs"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test(
        "bad fields give 400 in OpenAI's error shape",
        arguments: [
            (#"{"messages":[]}"#, "messages"),
            (#"{"messages":[{"role":"user","content":"Hi"}],"temperature":5}"#, "temperature"),
            (#"{"messages":[{"role":"user","content":"Hi"}],"max_tokens":-3}"#, "max_tokens"),
            (#"{"messages":[{"role":"user","content":"Hi"}],"n":2}"#, "n"),
            (#"{"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function"}]}"#, "tools"),
            (#"{"messages":[{"role":"user","content":"Hi"}],"top_p":0}"#, "top_p"),
            (
                #"{"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"yaml"}}"#,
                "response_format.type"
            ),
            (#"{"messages":"hello"}"#, "messages"),
            (#"{"messages":[{"role":"user","content":"Hi"}],"max_tokens":"ten"}"#, "max_tokens"),
            (#"{"messages":[{"role":"wizard","content":"Hi"}]}"#, "messages[0].role"),
        ])
    func badFields(body: String, param: String) async throws {
        try await Self.application().test(.router) { client in
            let response = try await Self.post(client, "/v1/chat/completions", body)
            #expect(response.status == .badRequest, "\(body)")
            let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
            #expect(error["type"] as? String == "invalid_request_error")
            #expect(error["param"] as? String == param, "\(error)")
            #expect((error["message"] as? String)?.isEmpty == false)
            #expect(error.keys.contains("code"))
        }
    }

    @Test("malformed JSON and a missing body are 400")
    func malformed() async throws {
        try await Self.application().test(.router) { client in
            for body in ["{not json", "", "[1,2]", "\u{FF}\u{FE}"] {
                let response = try await Self.post(client, "/v1/chat/completions", body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try Self.json(response.body)["error"] != nil)
            }
        }
    }

    @Test("unknown model is 404")
    func unknownModel() async throws {
        try await Self.application().test(.router) { client in
            let response = try await Self.post(
                client, "/v1/chat/completions", #"{"model":"gpt-9","messages":[{"role":"user","content":"Hi"}]}"#)
            #expect(response.status == .notFound)
            let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
            #expect(error["code"] as? String == "model_not_found")
            let model = try await client.execute(uri: "/v1/models/gpt-9", method: .get)
            #expect(model.status == .notFound)
        }
    }

    @Test("a busy engine gives 503 with Retry-After")
    func busy() async throws {
        let engine = StandInEngine()
        engine.failure = InferenceError(.busy, "all sequences are busy")
        try await Self.application(engine: engine).test(.router) { client in
            let response = try await Self.post(
                client, "/v1/chat/completions", #"{"messages":[{"role":"user","content":"Hi"}]}"#)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
        }
    }

    @Test("a body over the limit is 413")
    func tooLarge() async throws {
        try await Self.application(configure: { $0.maxBodySize = 1000 }).test(.router) { client in
            let big = #"{"messages":[{"role":"user","content":""# + String(repeating: "a", count: 5000) + #""}]}"#
            let response = try await Self.post(client, "/v1/chat/completions", big)
            #expect(response.status == .contentTooLarge)
            #expect(try Self.json(response.body)["error"] != nil)
        }
    }

    @Test("models list and single model")
    func models() async throws {
        try await Self.application().test(.router) { client in
            let list = try Self.json(try await client.execute(uri: "/v1/models", method: .get).body)
            #expect(list["object"] as? String == "list")
            #expect((list["data"] as? [[String: Any]])?.first?["id"] as? String == "stand-in")
            let one = try await client.execute(uri: "/v1/models/stand-in", method: .get)
            #expect(one.status == .ok)
        }
    }

    @Test("text completions: a list of prompts gives one choice each; echo; streaming")
    func completions() async throws {
        try await Self.application().test(.router) { client in
            let response = try await Self.post(
                client, "/v1/completions", #"{"prompt":["A","B"],"max_tokens":3,"echo":true}"#)
            #expect(response.status == .ok)
            let choices = try #require(try Self.json(response.body)["choices"] as? [[String: Any]])
            #expect(choices.map { $0["text"] as? String } == ["AHello, world", "BHello, world"])
            #expect(choices.map { $0["index"] as? Int } == [0, 1])
            let streamed = try await Self.post(client, "/v1/completions", #"{"prompt":"A","stream":true}"#)
            #expect(String(buffer: streamed.body).hasSuffix("data: [DONE]\n\n"))
        }
    }

    @Test("embeddings as floats and as base64")
    func embeddings() async throws {
        try await Self.application().test(.router) { client in
            let floats = try Self.json(
                try await Self.post(client, "/v1/embeddings", #"{"input":["a","b"]}"#).body)
            let data = try #require(floats["data"] as? [[String: Any]])
            #expect(data.count == 2)
            #expect((data[0]["embedding"] as? [Double])?.count == 4)
            let encoded = try Self.json(
                try await Self.post(client, "/v1/embeddings", #"{"input":"a","encoding_format":"base64"}"#).body)
            let text = try #require((encoded["data"] as? [[String: Any]])?.first?["embedding"] as? String)
            let bytes = try #require(Data(base64Encoded: text))
            #expect(bytes.count == 16)
            let first = bytes.withUnsafeBytes { Float(bitPattern: UInt32(littleEndian: $0.load(as: UInt32.self))) }
            #expect(first == 0.5)
            let bad = try await Self.post(client, "/v1/embeddings", #"{"input":"a","encoding_format":"hex"}"#)
            #expect(bad.status == .badRequest)
        }
    }

    @Test("API key: 401 without it, 200 with it, /health always open")
    func apiKey() async throws {
        try await Self.application(configure: { $0.apiKey = "secret-key" }).test(.router) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            let denied = try await client.execute(uri: "/v1/models", method: .get)
            #expect(denied.status == .unauthorized)
            #expect(!String(buffer: denied.body).contains("secret-key"))
            let wrong = try await client.execute(
                uri: "/v1/models", method: .get, headers: [.authorization: "Bearer secret-kez"])
            #expect(wrong.status == .unauthorized)
            let allowed = try await client.execute(
                uri: "/v1/models", method: .get, headers: [.authorization: "Bearer secret-key"])
            #expect(allowed.status == .ok)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
        }
    }

    @Test("CORS for configured origins only")
    func cors() async throws {
        try await Self.application(configure: { $0.corsOrigins = ["http://app.local"] }).test(.router) { client in
            let allowed = try await client.execute(
                uri: "/v1/models", method: .get, headers: [.origin: "http://app.local"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "http://app.local")
            let other = try await client.execute(uri: "/v1/models", method: .get, headers: [.origin: "http://evil"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            let preflight = try await client.execute(
                uri: "/v1/chat/completions", method: .options, headers: [.origin: "http://app.local"])
            #expect(preflight.status == .noContent)
        }
    }

    @Test("tokenize, detokenize, health and metrics")
    func operations() async throws {
        try await Self.application().test(.router) { client in
            let tokens = try Self.json(try await Self.post(client, "/tokenize", #"{"content":"hi"}"#).body)
            #expect(tokens["tokens"] as? [Int] == [104, 105])
            let text = try Self.json(try await Self.post(client, "/detokenize", #"{"tokens":[104,105]}"#).body)
            #expect(text["content"] as? String == "hi")
            _ = try await Self.post(client, "/v1/chat/completions", #"{"messages":[{"role":"user","content":"Hi"}]}"#)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("botticelli_generated_tokens_total 4"))
            #expect(metrics.contains("botticelli_busy_sequences 0"))
            #expect(metrics.contains(#"botticelli_requests_total{route="/v1/chat/completions",status="200"} 1"#))
            // Every metric keeps its name, with its help line.
            for name in [
                "prompt_tokens_total", "generated_tokens_total", "generations_total", "generated_tokens_per_second",
                "time_to_first_token_seconds", "busy_sequences", "queued_requests", "loaded_models",
                "download_bytes_total", "requests_total",
            ] {
                #expect(metrics.contains("# HELP botticelli_\(name) "), "no help line for botticelli_\(name)")
            }
        }
    }

    @Test("apply-template renders a chat request's messages without generating, and checks them as a chat does")
    func applyTemplate() async throws {
        let engine = StandInEngine()
        try await Self.application(engine: engine).test(.router) { client in
            let rendered = try await Self.post(
                client, "/apply-template",
                #"{"messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":"Hi"}]}"#)
            #expect(rendered.status == .ok)
            #expect(try Self.json(rendered.body)["prompt"] as? String == "system: Be brief.\nuser: Hi")
            let empty = try await Self.post(client, "/apply-template", #"{"messages":[]}"#)
            #expect(empty.status == .badRequest)
            #expect(String(buffer: empty.body).contains("send at least one message"))
            let role = try await Self.post(
                client, "/apply-template", #"{"messages":[{"role":"narrator","content":"Once"}]}"#)
            #expect(role.status == .badRequest)
            #expect(String(buffer: role.body).contains("messages[0].role"))
            let sampling = try await Self.post(
                client, "/apply-template", #"{"messages":[{"role":"user","content":"Hi"}],"top_logprobs":50}"#)
            #expect(sampling.status == .badRequest)
            let unknown = try await Self.post(
                client, "/apply-template", #"{"model":"nope","messages":[{"role":"user","content":"Hi"}]}"#)
            #expect(unknown.status == .notFound)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("botticelli_generations_total 0"))
        }
    }
}
