import BotticelliCore
import BotticelliEngine
import Foundation
import Testing

@Suite("Engine behaviour on the real model", .serialized)
struct EngineBehaviourTests {
    @Test("a conversation that grows reuses the cached prefix")
    func prefixReuse() async throws {
        let engine = try EngineFixture.engine(parallel: 2)
        var messages = [ChatMessage(role: "user", content: "Name a fruit.")]
        let first = try await engine.complete(
            GenerationRequest(input: .chat(messages), maxTokens: 16, sampling: .greedy))
        let firstSummary = try #require(first.summary)
        #expect(firstSummary.cachedPromptTokens == 0)
        messages.append(ChatMessage(role: "assistant", content: first.text))
        messages.append(ChatMessage(role: "user", content: "Name another one."))
        let second = try await engine.complete(
            GenerationRequest(input: .chat(messages), maxTokens: 16, sampling: .greedy))
        let secondSummary = try #require(second.summary)
        // Everything of the first prompt is reused; only the new turn is processed.
        #expect(secondSummary.cachedPromptTokens >= firstSummary.promptTokens - 1)
        #expect(secondSummary.cachedPromptTokens < secondSummary.promptTokens)
    }

    @Test("a stop string ends generation and never appears in the output")
    func stopStrings() async throws {
        let engine = try EngineFixture.engine(parallel: 1)
        let free = try await engine.complete("The capital of France is", maxTokens: 32)
        #expect(free.text.contains("."))
        let stopped = try await engine.complete("The capital of France is", maxTokens: 32, stop: ["zzz", "."])
        #expect(stopped.summary?.finishReason == .stop)
        #expect(stopped.summary?.stopString == ".")
        #expect(!stopped.text.contains("."))
        #expect(free.text.hasPrefix(stopped.text))
        #expect(free.summary?.stopString == nil)
    }

    @Test("the end-of-generation token counts as generated but is never streamed")
    func endOfGenerationCounts() async throws {
        let engine = try EngineFixture.engine(parallel: 1)
        let result = try await engine.complete(
            GenerationRequest(
                input: .chat([ChatMessage(role: "user", content: "Say hi.")]), maxTokens: 64, sampling: .greedy))
        let summary = try #require(result.summary)
        #expect(summary.finishReason == .stop)
        let end = try #require(summary.endOfGenerationToken)
        #expect(!result.tokens.contains(end))
        #expect(summary.completionTokens == result.tokens.count + 1)
    }

    @Test("a prompt given as token ids generates what its text generates; ids outside the vocabulary are refused")
    func tokenPrompts() async throws {
        let engine = try EngineFixture.engine(parallel: 1)
        let text = try await engine.complete("The capital of France is", maxTokens: 12)
        let ids = try await engine.tokenize("The capital of France is", addSpecial: true)
        let tokens = try await engine.complete(
            GenerationRequest(input: .tokens(ids), maxTokens: 12, sampling: .greedy))
        #expect(tokens.tokens == text.tokens)
        #expect(tokens.summary?.promptTokens == ids.count)
        #expect(throws: InferenceError.self) {
            _ = try engine.generate(GenerationRequest(input: .tokens([1, 49_152]), maxTokens: 1))
        }
        #expect(throws: InferenceError.self) {
            _ = try engine.generate(GenerationRequest(input: .tokens([-1]), maxTokens: 1))
        }
    }

    @Test("max tokens ends with finish reason length and the exact count")
    func maxTokens() async throws {
        let engine = try EngineFixture.engine(parallel: 1)
        let result = try await engine.complete("Count: one, two, three,", maxTokens: 5)
        #expect(result.summary?.finishReason == .length)
        #expect(result.summary?.completionTokens == 5)
        #expect(result.tokens.count == 5)
    }

    @Test("the same seed gives the same text")
    func seeds() async throws {
        let engine = try EngineFixture.engine(parallel: 2)
        var sampling = SamplingParameters()
        sampling.temperature = 0.9
        sampling.seed = 1234
        let request = GenerationRequest(input: .text("My favourite animal is"), maxTokens: 24, sampling: sampling)
        let first = try await engine.complete(request)
        let second = try await engine.complete(request)
        #expect(first.text == second.text)
        #expect(!first.text.isEmpty)
    }

    /// Greedy with a light repeat penalty: a 135M model otherwise tends to loop inside an open-ended object.
    static var gentlyPenalised: SamplingParameters {
        var sampling = SamplingParameters.greedy
        sampling.repeatPenalty = 1.15
        return sampling
    }

    @Test("JSON mode produces a JSON object")
    func jsonObject() async throws {
        let engine = try EngineFixture.engine(parallel: 1)
        let result = try await engine.complete(
            GenerationRequest(
                // A short object to copy: an open-ended request lets a 135M model nest objects past any token
                // limit, and which way greedy decoding goes depends on the CPU's kernels (GGML_NATIVE).
                input: .chat([ChatMessage(role: "user", content: #"Reply with this JSON object: {"name": "Tom"}"#)]),
                maxTokens: 512,
                sampling: Self.gentlyPenalised, constraint: .jsonObject))
        #expect(result.summary?.finishReason == .stop, "\(result.text)")
        let data = Data(result.text.utf8)
        let parsed = try JSONSerialization.jsonObject(with: data)
        #expect(parsed is [String: Any], "\(result.text)")
    }

    @Test("JSON Schema output parses and validates against the schema")
    func jsonSchema() async throws {
        let schema = #"""
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 20},
             "age": {"type": "integer"}, "pets": {"type": "array", "items": {"enum": ["cat", "dog"]}, "maxItems": 3}},
             "required": ["name", "age", "pets"], "additionalProperties": false}
            """#
        let engine = try EngineFixture.engine(parallel: 1)
        let result = try await engine.complete(
            GenerationRequest(
                input: .chat([ChatMessage(role: "user", content: "Describe a person with pets as JSON.")]),
                maxTokens: 160, sampling: .greedy, constraint: .jsonSchema(schema)))
        #expect(result.summary?.finishReason == .stop, "\(result.text)")
        let violations = try JSONSchemaValidator(schemaJSON: schema).validate(result.text)
        #expect(violations.isEmpty, "\(result.text): \(violations)")
    }

    @Test("log-probabilities come with each token")
    func logprobs() async throws {
        let engine = try EngineFixture.engine(parallel: 1)
        let result = try await engine.complete(
            GenerationRequest(input: .text("The capital of France is"), maxTokens: 4, sampling: .greedy, topLogprobs: 3)
        )
        #expect(result.logprobs.count == 4)
        for entry in result.logprobs {
            #expect(entry.logprob <= 0)
            #expect(entry.alternatives.count == 3)
            // Greedy: the chosen token is the most likely one.
            #expect(entry.alternatives.first?.token == entry.token)
        }
    }

    @Test("embeddings: identical texts give cosine 1, a related pair beats an unrelated one")
    func embeddings() async throws {
        let engine = try EngineFixture.engine(parallel: 1)
        let (vectors, tokens) = try await engine.embed([
            "The cat sat on the mat.", "The cat sat on the mat.", "A kitten is sitting on a rug.",
            "Quarterly tax filings are due in April.",
        ])
        #expect(tokens > 0)
        func cosine(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        #expect(abs(cosine(vectors[0], vectors[1]) - 1) < 1e-4)
        #expect(cosine(vectors[0], vectors[2]) > cosine(vectors[0], vectors[3]))
        for vector in vectors {
            #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-3)
        }
    }

    @Test("cancelling the consumer frees its sequence")
    func cancellation() async throws {
        let engine = try EngineFixture.engine(parallel: 1)
        let task = Task {
            var seen = 0
            for try await event in try engine.generate(
                GenerationRequest(input: .text("Write a long story."), maxTokens: 2000, sampling: .greedy))
            {
                if case .text = event { seen += 1 }
                if seen == 3 { break }
            }
            return seen
        }
        #expect(try await task.value == 3)
        var status = await engine.status()
        for _ in 0..<100 where status.busySequences > 0 {
            try await Task.sleep(for: .milliseconds(10))
            status = await engine.status()
        }
        #expect(status.busySequences == 0)
        // What the cancelled generation decoded stays cached, as in llama-server: sending the same prompt again
        // (a retry, a regenerate) processes only the one token that must be decoded for its logits.
        let retry = try #require(
            try await engine.complete(
                GenerationRequest(input: .text("Write a long story."), maxTokens: 2, sampling: .greedy)
            ).summary)
        #expect(retry.completionTokens == 2)
        #expect(retry.promptTokens > 1)
        #expect(retry.cachedPromptTokens == retry.promptTokens - 1)
        // And the engine still serves other prompts.
        #expect(try await engine.complete("Hello", maxTokens: 2).summary?.completionTokens == 2)
    }

    @Test("a prompt cancelled while it is being processed stops within a fraction of its processing time")
    func cancellationDuringPromptProcessing() async throws {
        let engine = try EngineFixture.engine(parallel: 1, contextSize: 4096)
        // About 1000 tokens: one decode call of two micro-batches, seconds of work on a CPU.
        func prompt(_ salt: Int) -> GenerationRequest {
            let words = (0..<500).map { "w\(($0 * 7 + salt) % 101)" }.joined(separator: " ")
            return GenerationRequest(input: .text("\(salt): \(words)"), maxTokens: 1, sampling: .greedy)
        }
        let clock = ContinuousClock()
        let whole = try await clock.measure { _ = try await engine.complete(prompt(1)) }

        let task = Task {
            for try await _ in try engine.generate(prompt(2)) {}
        }
        // Wait until the prompt is being processed, then leave.
        var status = await engine.status()
        while status.busySequences == 0 {
            try await Task.sleep(for: .milliseconds(5))
            status = await engine.status()
        }
        try await Task.sleep(for: whole / 10)
        let cancelled = clock.now
        task.cancel()
        while await engine.status().busySequences > 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        let stopped = clock.now - cancelled
        // Without stopping llama_decode the sequence stays busy for the rest of the batch (about 0.9 of `whole`).
        #expect(stopped < whole / 3, "busy for \(stopped) after the cancel; the whole prompt takes \(whole)")
        // The cache holds nothing of the abandoned prompt, and the engine still serves.
        #expect(try await engine.complete("Hello", maxTokens: 2).summary?.completionTokens == 2)
    }

    @Test("a full queue gives a busy error")
    func busy() async throws {
        let engine = try EngineFixture.engine(parallel: 1, queueCapacity: 1)
        let long = GenerationRequest(input: .text("Tell me everything."), maxTokens: 400, sampling: .greedy)
        let running = try engine.generate(long)
        var iterator = running.makeAsyncIterator()
        _ = try await iterator.next()  // the only sequence is now generating
        let queued = try engine.generate(long)
        let error = #expect(throws: InferenceError.self) { _ = try engine.generate(long) }
        #expect(error?.kind == .busy)
        _ = queued
    }

    @Test("a group of requests is queued whole or not at all")
    func groupAdmission() async throws {
        let engine = try EngineFixture.engine(parallel: 1, queueCapacity: 2)
        let request = GenerationRequest(input: .text("Hello"), maxTokens: 3, sampling: .greedy)
        // Larger than the whole queue: never acceptable, so an invalid request rather than "busy, retry".
        let error = #expect(throws: InferenceError.self) { _ = try engine.generate([request, request, request]) }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.message.contains("send at most 2 at a time") == true)
        #expect(await engine.status().queuedRequests == 0)
        // A group that fits runs whole, one after the other on the single sequence.
        for stream in try engine.generate([request, request]) {
            var completed = 0
            for try await event in stream {
                if case .finished(let summary) = event { completed = summary.completionTokens }
            }
            #expect(completed == 3)
        }
    }

    @Test("a prompt longer than the context names both numbers")
    func contextOverflow() async throws {
        let engine = try EngineFixture.engine(parallel: 1, contextSize: 256)
        let size = await engine.status().contextSize
        let error = #expect(throws: InferenceError.self) {
            _ = try engine.generate(GenerationRequest(input: .text(String(repeating: "word ", count: size + 100))))
        }
        #expect(error?.kind == .contextExceeded)
        #expect(error?.message.contains("context holds \(size)") == true)
    }

    @Test("generation that reaches the end of the context stops with length")
    func contextEnd() async throws {
        let engine = try EngineFixture.engine(parallel: 1, contextSize: 256)
        let size = await engine.status().contextSize
        var request = GenerationRequest(input: .text("Once upon a time"), maxTokens: 5000, sampling: .greedy)
        request.ignoreEndOfGeneration = true
        let result = try await engine.complete(request)
        #expect(result.summary?.finishReason == .length)
        let summary = try #require(result.summary)
        #expect(summary.promptTokens + summary.completionTokens == size)
    }
}
