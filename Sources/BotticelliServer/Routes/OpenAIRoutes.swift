import BotticelliCore
import Foundation
import Hummingbird

/// The OpenAI-compatible routes under /v1.
struct OpenAIRoutes<Context: RequestContext>: Sendable {
    let provider: any ModelProvider
    let metrics: ServerMetrics
    let bodyLimit: Int
    /// How often a stream that has no token yet checks that its client is still there.
    static var heartbeatInterval: Duration { .seconds(1) }

    func register(on router: some RouterMethods<Context>) {
        let group = router.group("v1")
        group.get("models") { _, _ in try await listModels() }
        group.get("models/{id}") { _, context in try await model(context.parameters.require("id")) }
        group.post("chat/completions") { request, context in try await chatCompletions(request, context) }
        group.post("completions") { request, context in try await completions(request, context) }
        group.post("embeddings") { request, context in try await embeddings(request, context) }
    }

    struct ModelObject: Encodable, Sendable {
        var id: String
        var object = "model"
        var created: Int
        var ownedBy = "botticelli"
        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
        }
    }

    struct ModelList: Encodable, Sendable {
        var object = "list"
        var data: [ModelObject]
    }

    func listModels() async throws -> Response {
        let models = await provider.listModels().map {
            ModelObject(id: $0.id, created: Int($0.modified.timeIntervalSince1970))
        }
        return try JSONResponse.make(ModelList(data: models))
    }

    func model(_ id: String) async throws -> Response {
        let models = await provider.listModels()
        guard let found = models.first(where: { $0.id == id }) else {
            throw APIError.modelNotFound(ModelLookupError(name: id, available: models.map(\.id)))
        }
        return try JSONResponse.make(ModelObject(id: found.id, created: Int(found.modified.timeIntervalSince1970)))
    }

    func engine(_ name: String?) async throws -> any InferenceEngine {
        do {
            return try await provider.engine(for: name)
        } catch let error as ModelLookupError {
            throw APIError.modelNotFound(error)
        }
    }

    func start(_ engine: any InferenceEngine, _ request: GenerationRequest) throws
        -> AsyncThrowingStream<GenerationEvent, any Error>
    {
        try startAll(engine, [request])[0]
    }

    func startAll(_ engine: any InferenceEngine, _ requests: [GenerationRequest]) throws
        -> [AsyncThrowingStream<GenerationEvent, any Error>]
    {
        try APIError.reportingEngineErrors { try engine.generate(requests) }
    }

    func chatCompletions(_ request: Request, _ context: Context) async throws -> Response {
        var request = request
        let started = ContinuousClock.now
        let body = try await JSONBody.decode(ChatCompletionRequest.self, from: &request, limit: bodyLimit)
        let generation = try body.generationRequest()
        let engine = try await engine(body.model)
        let stream = try start(engine, generation)
        let id = "chatcmpl-" + RequestIdentifier.make()
        let created = Int(Date().timeIntervalSince1970)
        let modelID = engine.model.id
        let topLogprobs = generation.topLogprobs
        if body.stream == true {
            let includeUsage = body.streamOptions?.includeUsage == true
            let metrics = self.metrics
            return ServerSentEvents.response(watching: request) { writer in
                var first = true
                for try await item in stream.withHeartbeats(every: Self.heartbeatInterval) {
                    guard case .event(let event) = item else {
                        if first { try await writer.sendHeartbeat() }
                        continue
                    }
                    switch event {
                    case .text(let text, _, let logprobs):
                        if first { metrics.recordFirstToken(since: started) }
                        let delta = ChatCompletionChunk.Choice.Delta(role: first ? "assistant" : nil, content: text)
                        first = false
                        let chunk = ChatCompletionChunk(
                            id: id, created: created, model: modelID,
                            choices: [
                                .init(
                                    delta: delta,
                                    logprobs: topLogprobs.map { ChatLogprobs(logprobs, top: $0) })
                            ])
                        try await writer.send(chunk)
                    case .finished(let summary):
                        metrics.record(summary)
                        let last = ChatCompletionChunk(
                            id: id, created: created, model: modelID,
                            choices: [.init(delta: .init(), finishReason: summary.finishReason.rawValue)],
                            timings: Timings(summary))
                        try await writer.send(last)
                        if includeUsage {
                            try await writer.send(
                                ChatCompletionChunk(
                                    id: id, created: created, model: modelID, choices: [], usage: Usage(summary)))
                        }
                    }
                }
                try await writer.sendDone()
            }
        }
        let collected = try await request.cancellingWhenClientLeaves { try await stream.collect() }
        guard let summary = collected.summary else {
            throw APIError(.internalServerError, "the generation ended without a summary")
        }
        metrics.record(summary)
        let response = ChatCompletionResponse(
            id: id, created: created, model: modelID,
            choices: [
                .init(
                    message: .init(content: collected.text),
                    logprobs: topLogprobs.map { ChatLogprobs(collected.logprobs, top: $0) },
                    finishReason: summary.finishReason.rawValue)
            ],
            usage: Usage(summary), timings: Timings(summary))
        return try JSONResponse.make(response, headers: Request.closingHeaders)
    }

    func completions(_ request: Request, _ context: Context) async throws -> Response {
        var request = request
        let started = ContinuousClock.now
        let body = try await JSONBody.decode(CompletionRequest.self, from: &request, limit: bodyLimit)
        let generations = try body.generationRequests()
        let engine = try await engine(body.model)
        let id = "cmpl-" + RequestIdentifier.make()
        let created = Int(Date().timeIntervalSince1970)
        let modelID = engine.model.id
        let echo = body.echo == true
        if body.stream == true {
            guard generations.count == 1 else {
                throw APIError.badField("prompt", "streaming takes one prompt; send a string, not a list")
            }
            let stream = try start(engine, generations[0])
            let prompt = body.prompt.values[0]
            let includeUsage = body.streamOptions?.includeUsage == true
            let metrics = self.metrics
            return ServerSentEvents.response(watching: request) { writer in
                var first = true
                if echo {
                    try await writer.send(
                        TextCompletionResponse(
                            id: id, created: created, model: modelID,
                            choices: [.init(text: prompt, index: 0)]))
                }
                for try await item in stream.withHeartbeats(every: Self.heartbeatInterval) {
                    guard case .event(let event) = item else {
                        if first { try await writer.sendHeartbeat() }
                        continue
                    }
                    switch event {
                    case .text(let text, _, let logprobs):
                        if first { metrics.recordFirstToken(since: started) }
                        first = false
                        try await writer.send(
                            TextCompletionResponse(
                                id: id, created: created, model: modelID,
                                choices: [
                                    .init(
                                        text: text, index: 0,
                                        logprobs: body.logprobs.map { _ in TextLogprobs(logprobs, startOffset: 0) })
                                ]))
                    case .finished(let summary):
                        metrics.record(summary)
                        try await writer.send(
                            TextCompletionResponse(
                                id: id, created: created, model: modelID,
                                choices: [.init(text: "", index: 0, finishReason: summary.finishReason.rawValue)],
                                usage: includeUsage ? Usage(summary) : nil, timings: Timings(summary)))
                    }
                }
                try await writer.sendDone()
            }
        }
        // Several prompts are queued together and generated side by side, each in its own sequence.
        let streams = try startAll(engine, generations)
        let results = try await request.cancellingWhenClientLeaves { try await streams.collectAll() }
        var choices: [TextCompletionResponse.Choice] = []
        var usage = Usage(promptTokens: 0, completionTokens: 0, cachedTokens: 0)
        for (index, collected) in results.enumerated() {
            guard let summary = collected.summary else {
                throw APIError(.internalServerError, "the generation ended without a summary")
            }
            metrics.record(summary)
            usage = Usage(
                promptTokens: usage.promptTokens + summary.promptTokens,
                completionTokens: usage.completionTokens + summary.completionTokens,
                cachedTokens: usage.promptTokensDetails.cachedTokens + summary.cachedPromptTokens)
            let prefix = echo ? body.prompt.values[index] : ""
            choices.append(
                .init(
                    text: prefix + collected.text, index: index,
                    logprobs: body.logprobs.map { _ in TextLogprobs(collected.logprobs, startOffset: prefix.count) },
                    finishReason: summary.finishReason.rawValue))
        }
        return try JSONResponse.make(
            TextCompletionResponse(
                id: id, created: created, model: modelID, choices: choices, usage: usage,
                timings: results.count == 1 ? results[0].summary.map(Timings.init) : nil),
            headers: Request.closingHeaders)
    }

    struct EmbeddingList: Encodable, Sendable {
        struct Item: Encodable, Sendable {
            var object = "embedding"
            var index: Int
            var embedding: EmbeddingValue
        }
        var object = "list"
        var data: [Item]
        var model: String
        var usage: EmbeddingUsage
    }

    struct EmbeddingUsage: Encodable, Sendable {
        var promptTokens: Int
        var totalTokens: Int
        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case totalTokens = "total_tokens"
        }
    }

    enum EmbeddingValue: Encodable, Sendable {
        case floats([Float])
        case base64(String)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .floats(let values): try container.encode(values)
            case .base64(let text): try container.encode(text)
            }
        }
    }

    func embeddings(_ request: Request, _ context: Context) async throws -> Response {
        let body = try await JSONBody.decode(EmbeddingRequest.self, from: request, limit: bodyLimit)
        let format = try body.checkedFormat()
        let engine = try await engine(body.model)
        let result = try await APIError.reportingEngineErrors { try await engine.embed(body.input.values) }
        let items = result.vectors.enumerated().map { index, vector in
            EmbeddingList.Item(
                index: index,
                embedding: format == "base64" ? .base64(Self.base64(vector)) : .floats(vector))
        }
        return try JSONResponse.make(
            EmbeddingList(
                data: items, model: engine.model.id,
                usage: EmbeddingUsage(promptTokens: result.promptTokens, totalTokens: result.promptTokens)))
    }

    /// Little-endian float32 bytes, base64-encoded, as OpenAI sends them.
    static func base64(_ vector: [Float]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }
}
