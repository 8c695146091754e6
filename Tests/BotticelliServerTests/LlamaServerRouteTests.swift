import BotticelliCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BotticelliServer

/// llama-server's /completion against a stand-in engine (whose tokenizer maps each character to its code point).
/// Agreement with llama-server itself is tested on the real model in Tests/python/test_llama_server_routes.py.
@Suite("llama-server routes")
struct LlamaServerRouteTests {
    @Test("prompt shapes: text, ids, both mixed, an object, and a list of prompts")
    func promptShapes() throws {
        func prompts(_ json: String) throws -> [[LlamaCompletionRequest.Part]] {
            try JSONDecoder().decode(LlamaCompletionRequest.self, from: Data(#"{"prompt":\#(json)}"#.utf8)).prompts
        }
        #expect(try prompts(#""Hi""#) == [[.text("Hi")]])
        #expect(try prompts("[1, 2, 3]") == [[.token(1), .token(2), .token(3)]])
        #expect(try prompts(#"[1, "a", 2]"#) == [[.token(1), .text("a"), .token(2)]])
        #expect(try prompts(#"{"prompt_string": "Hi"}"#) == [[.text("Hi")]])
        // A list with no number in it is a list of prompts.
        #expect(
            try prompts(#"["a", [1, 2], {"prompt_string": "b"}]"#) == [
                [.text("a")], [.token(1), .token(2)], [.text("b")],
            ])
        for bad in [
            "[]", "[[]]", "[1.5]", #"[1, [2]]"#, "true", #"{"text": "Hi"}"#,
            #"{"prompt_string": "a", "multimodal_data": ["x"]}"#,
        ] {
            #expect(throws: APIError.self, "\(bad)") { try prompts(bad) }
        }
    }

    @Test("logit bias in both of llama-server's forms; false bans")
    func logitBias() throws {
        let array = try LlamaCompletionRequest.logitBias(
            from: .array([.array([.number(5), .bool(false)]), .array([.string("Hi"), .number(-2)])]))
        #expect(array.map(\.target) == [.token(5), .text("Hi")])
        #expect(array.map(\.bias) == [-.infinity, -2])
        let object = try LlamaCompletionRequest.logitBias(from: .object(["7": .number(1), "x": .number(3)]))
        #expect(object.map(\.target) == [.token(7), .text("x")])
        for bad: JSONValue in [
            .array([.array([.number(1)])]), .array([.array([.number(1), .bool(true)])]), .string("x"),
        ] {
            #expect(throws: APIError.self) { try LlamaCompletionRequest.logitBias(from: bad) }
        }
    }

    @Test("a completion: llama-server's fields, the engine request built from token ids and settings")
    func completion() async throws {
        let engine = StandInEngine()
        try await OpenAIRouteTests.application(engine: engine).test(.router) { client in
            let response = try await OpenAIRouteTests.post(
                client, "/completion",
                #"{"prompt":[104, "i"],"n_predict":3,"temperature":-1,"top_k":-5,"seed":-1,"repeat_last_n":-1,"#
                    + #""return_tokens":true,"logit_bias":[["a",2],[9,false]],"stop":["x"],"n_probs":2}"#)
            #expect(response.status == .ok)
            let body = try OpenAIRouteTests.json(response.body)
            #expect(body["content"] as? String == "Hello, world")
            #expect(body["tokens"] as? [Int] == [0, 1, 2])
            #expect(body["stop"] as? Bool == true)
            #expect(body["stop_type"] as? String == "limit")
            #expect(body["stopping_word"] as? String == "")
            #expect(body["tokens_predicted"] as? Int == 3)
            #expect(body["tokens_evaluated"] as? Int == 7)
            #expect(body["prompt"] as? String == "hi")
            #expect(body["model"] as? String == "stand-in")
            #expect((body["completion_probabilities"] as? [[String: Any]])?.count == 3)
            let settings = try #require(body["generation_settings"] as? [String: Any])
            #expect(settings["n_predict"] as? Int == 3)
            #expect(settings["repeat_last_n"] as? Int == 512, "-1 is a sequence's whole context")
            let request = try #require(engine.requests.last)
            // Text after the first piece is tokenized without the beginning-of-sequence token.
            #expect(request.input == .tokens([104, 105]))
            #expect(request.maxTokens == 3)
            #expect(request.sampling.temperature == 0)
            #expect(request.sampling.topK == 0)
            #expect(request.sampling.seed == nil)
            #expect(request.sampling.logitBias == [97: 2, 9: -.infinity])
            #expect(request.stop == ["x"])
            #expect(request.topLogprobs == 2)
        }
    }

    @Test("a list of prompts answers an array; a stream ends with the piece whose stop is true, without [DONE]")
    func listsAndStreams() async throws {
        try await OpenAIRouteTests.application().test(.router) { client in
            let list = try await OpenAIRouteTests.post(client, "/completion", #"{"prompt":["a","b"],"n_predict":1}"#)
            let results = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [[String: Any]])
            #expect(results.map { $0["index"] as? Int } == [0, 1])
            #expect(results.map { $0["content"] as? String } == ["Hello", "Hello"])
            let stream = try await OpenAIRouteTests.post(client, "/completion", #"{"prompt":"a","stream":true}"#)
            #expect(stream.headers[.contentType] == "text/event-stream")
            let events = String(buffer: stream.body).split(separator: "\n").filter { $0.hasPrefix("data: ") }.map {
                try? JSONSerialization.jsonObject(with: Data($0.dropFirst(6).utf8)) as? [String: Any]
            }
            #expect(events.count == 5)
            #expect(events.dropLast().allSatisfy { $0?["stop"] as? Bool == false })
            #expect(events.dropLast().map { $0?["content"] as? String } == ["Hello", ",", " world", "!"])
            #expect(events.last??["stop"] as? Bool == true)
            #expect(events.last??["stop_type"] as? String == "eos")
            #expect(!String(buffer: stream.body).contains("[DONE]"))
        }
    }

    @Test("llama.cpp's other samplers reach the engine with llama-server's meanings")
    func samplers() async throws {
        let engine = StandInEngine()
        try await OpenAIRouteTests.application(engine: engine).test(.router) { client in
            let response = try await OpenAIRouteTests.post(
                client, "/completion",
                #"{"prompt":"a","typical_p":0.5,"dynatemp_range":0.3,"dynatemp_exponent":2,"xtc_probability":0.4,"#
                    + #""xtc_threshold":0.2,"top_n_sigma":1.5,"dry_multiplier":0.8,"dry_base":0.5,"#
                    + #""dry_allowed_length":3,"dry_penalty_last_n":-1,"dry_sequence_breakers":["\n"],"mirostat":2,"#
                    + #""mirostat_tau":4,"mirostat_eta":0.2}"#)
            #expect(response.status == .ok)
            let sampling = try #require(engine.requests.last).sampling
            #expect(sampling.typicalP == 0.5)
            #expect(sampling.dynamicTemperatureRange == 0.3)
            #expect(sampling.dynamicTemperatureExponent == 2)
            #expect(sampling.xtcProbability == 0.4)
            #expect(sampling.xtcThreshold == 0.2)
            #expect(sampling.topNSigma == 1.5)
            #expect(sampling.dryMultiplier == 0.8)
            #expect(sampling.dryBase == 1.75, "a base below 1 means the default, as in llama-server")
            #expect(sampling.dryAllowedLength == 3)
            #expect(sampling.dryWindow == 512, "-1 is a sequence's whole context")
            #expect(sampling.drySequenceBreakers == ["\n"])
            #expect(sampling.mirostat == 2)
            #expect(sampling.mirostatTau == 4)
            #expect(sampling.mirostatEta == 0.2)
            // The order by name (llama.cpp's spellings; an unknown name passed over) and by letter.
            _ = try await OpenAIRouteTests.post(
                client, "/completion", #"{"prompt":"a","samplers":["Top-K","nucleus","tfs_z","temp"],"min_keep":2}"#)
            #expect(try #require(engine.requests.last).sampling.order == [.topK, .topP, .temperature])
            #expect(try #require(engine.requests.last).sampling.minKeep == 2)
            _ = try await OpenAIRouteTests.post(client, "/completion", #"{"prompt":"a","samplers":"edkt"}"#)
            #expect(try #require(engine.requests.last).sampling.order == [.penalties, .dry, .topK, .temperature])
            // llama-server's aliases.
            _ = try await OpenAIRouteTests.post(client, "/completion", #"{"prompt":"a","max_tokens":2,"logprobs":3}"#)
            #expect(try #require(engine.requests.last).maxTokens == 2)
            #expect(try #require(engine.requests.last).topLogprobs == 3)
            let settings = try #require(
                try OpenAIRouteTests.json(response.body)["generation_settings"] as? [String: Any])
            #expect(settings["mirostat"] as? Int == 2)
            #expect(settings["dry_penalty_last_n"] as? Int == 512)
        }
    }

    @Test("props: the slots, a slot's context, the default settings, the model file and its chat template")
    func props() async throws {
        try await OpenAIRouteTests.application().test(.router) { client in
            let response = try await client.execute(uri: "/props", method: .get)
            #expect(response.status == .ok)
            let body = try OpenAIRouteTests.json(response.body)
            #expect(body["total_slots"] as? Int == 4)
            #expect(body["model_path"] as? String == "/models/stand-in.gguf")
            #expect(body["model_alias"] as? String == "stand-in")
            #expect(body["chat_template"] as? String == "{{ messages }}")
            let defaults = try #require(body["default_generation_settings"] as? [String: Any])
            #expect(defaults["n_ctx"] as? Int == 512)
            let params = try #require(defaults["params"] as? [String: Any])
            #expect(params["temperature"] as? Double == 0.8)
            #expect(params["top_k"] as? Int == 40)
            #expect(params["n_predict"] as? Int == -1)
            let missing = try await client.execute(uri: "/props?model=nope", method: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test("what the engine cannot do is refused by name, never ignored")
    func refusals() async throws {
        try await OpenAIRouteTests.application().test(.router) { client in
            for (body, field) in [
                (#"{"prompt":"a","mirostat":3}"#, "mirostat"),
                (#"{"prompt":"a","xtc_threshold":1.5}"#, "xtc_threshold"),
                (#"{"prompt":"a","dry_sequence_breakers":[]}"#, "dry_sequence_breakers"),
                (#"{"prompt":"a","dry_penalty_last_n":-2}"#, "dry_penalty_last_n"),
                (#"{"prompt":"a","temperature":1e39}"#, "temperature"), (#"{"prompt":"a","n_cmpl":2}"#, "n_cmpl"),
                (#"{"prompt":"a","lora":[{"id":0,"scale":1}]}"#, "lora"),
                (#"{"prompt":"a","grammar":"root ::= \"a\"","json_schema":{}}"#, "grammar"),
                (#"{"prompt":"a","seed":4294967296}"#, "seed"), (#"{"prompt":["a","b"],"stream":true}"#, "prompt"),
            ] {
                let response = try await OpenAIRouteTests.post(client, "/completion", body)
                #expect(response.status == .badRequest, "\(body)")
                let error = try #require(try OpenAIRouteTests.json(response.body)["error"] as? [String: Any])
                #expect(error["param"] as? String == field, "\(body)")
            }
            // The "off" values clients send by default are accepted.
            let defaults = try await OpenAIRouteTests.post(
                client, "/completion",
                #"{"prompt":"a","mirostat":0,"typical_p":1,"dry_multiplier":0,"xtc_probability":0,"top_n_sigma":-1,"#
                    + #""cache_prompt":true,"n_probs":0}"#)
            #expect(defaults.status == .ok)
        }
    }
}
