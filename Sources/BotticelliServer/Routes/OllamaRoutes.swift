import BotticelliCore
import Foundation
import Hummingbird

/// The Ollama-compatible routes under /api, so tools that speak Ollama work unchanged.
struct OllamaRoutes<Context: RequestContext>: Sendable {
    let provider: any ModelProvider
    let metrics: ServerMetrics
    let bodyLimit: Int
    /// The Ollama version reported to clients that check for features by version.
    static var compatibleVersion: String { "0.9.0" }

    func register(on router: some RouterMethods<Context>) {
        let group = router.group("api")
        group.get("version") { _, _ in
            try JSONResponse.make(["version": Self.compatibleVersion])
        }
        group.get("tags") { _, _ in try await tags() }
        group.get("ps") { _, _ in try await running() }
        group.post("show") { request, context in try await show(request, context) }
        group.post("chat") { request, context in try await chat(request, context) }
        group.post("generate") { request, context in try await generate(request, context) }
        group.post("embed") { request, context in try await embed(request, context) }
        group.post("embeddings") { request, context in try await legacyEmbeddings(request, context) }
    }

    struct ModelsBody: Encodable, Sendable {
        var models: [OllamaModelEntry]
    }

    func tags() async throws -> Response {
        try JSONResponse.make(ModelsBody(models: await provider.listModels().map { OllamaModelEntry($0) }))
    }

    func running() async throws -> Response {
        var entries: [OllamaModelEntry] = []
        let listings = await provider.listModels()
        for model in await provider.loadedModels() {
            let listing = listings.first { $0.id == model.id } ?? ModelListing(model)
            // A model kept forever is reported as Ollama does: expiring far in the future.
            let expiry = await provider.expiry(of: model) ?? Date().addingTimeInterval(3600 * 24 * 365)
            entries.append(OllamaModelEntry(listing, expiresAt: OllamaTime.format(expiry), sizeVram: 0))
        }
        return try JSONResponse.make(ModelsBody(models: entries))
    }

    func engine(_ name: String?, keepAlive: KeepAlive? = nil) async throws -> any InferenceEngine {
        do {
            return try await provider.engine(for: name, keepAlive: keepAlive?.seconds)
        } catch let error as ModelLookupError {
            throw APIError(
                .notFound, error.hint ?? "model '\(error.name)' not found, try pulling it first",
                code: "model_not_found")
        }
    }

    struct ShowBody: Encodable, Sendable {
        var modelfile: String
        var parameters: String
        var template: String
        var details: OllamaModelDetails
        var modelInfo: [String: JSONValue]
        var capabilities: [String]
        var modifiedAt: String

        enum CodingKeys: String, CodingKey {
            case modelfile, parameters, template, details, capabilities
            case modelInfo = "model_info"
            case modifiedAt = "modified_at"
        }
    }

    func show(_ request: Request, _ context: Context) async throws -> Response {
        let body = try await JSONBody.decode(OllamaModelRequest.self, from: request, limit: bodyLimit)
        guard let name = body.resolvedName, !name.isEmpty else {
            throw APIError.badField("model", "give the model's name in 'model'")
        }
        let engine = try await engine(name)
        let model = engine.model
        let listing = await provider.listModels().first { $0.id == model.id } ?? ModelListing(model)
        let architecture = model.architecture
        let info: [String: JSONValue] = [
            "general.architecture": .string(architecture),
            "general.parameter_count": .number(Double(model.parameterCount)),
            "\(architecture).context_length": .number(Double(model.contextLength)),
            "\(architecture).embedding_length": .number(Double(model.embeddingLength)),
        ]
        return try JSONResponse.make(
            ShowBody(
                modelfile: "FROM \(model.path)\n", parameters: "", template: model.chatTemplate ?? "",
                details: OllamaModelDetails(listing), modelInfo: info, capabilities: ["completion", "embedding"],
                modifiedAt: OllamaTime.format(listing.modified)))
    }

    func chat(_ request: Request, _ context: Context) async throws -> Response {
        var request = request
        let body = try await JSONBody.decode(OllamaChatRequest.self, from: &request, limit: bodyLimit)
        let engine = try await engine(body.model, keepAlive: body.keepAlive)
        let messages = (body.messages ?? []).map { ChatMessage(role: $0.role, content: $0.content ?? "") }
        // The options are checked even when there is nothing to generate.
        var generation = GenerationRequest(input: .chat(messages), constraint: body.format?.constraint)
        try body.options?.apply(to: &generation, contextSize: engine.model.contextLength)
        guard !messages.isEmpty else {
            // Ollama loads the model and answers at once when there are no messages (and, with keep_alive 0,
            // unloads it).
            return try JSONResponse.make(
                OllamaGenerationChunk(
                    model: body.model, createdAt: OllamaTime.format(Date()), message: .init(content: ""), done: true,
                    doneReason: body.keepAlive?.seconds == 0 ? "unload" : "load"))
        }
        return try await respond(
            to: request, engine: engine, model: body.model, generation: generation, stream: body.stream, chat: true)
    }

    func generate(_ request: Request, _ context: Context) async throws -> Response {
        var request = request
        let body = try await JSONBody.decode(OllamaGenerateRequest.self, from: &request, limit: bodyLimit)
        let engine = try await engine(body.model, keepAlive: body.keepAlive)
        var generation = GenerationRequest(input: .text(""), constraint: body.format?.constraint)
        try body.options?.apply(to: &generation, contextSize: engine.model.contextLength)
        guard let prompt = body.prompt, !prompt.isEmpty else {
            return try JSONResponse.make(
                OllamaGenerationChunk(
                    model: body.model, createdAt: OllamaTime.format(Date()), response: "", done: true,
                    doneReason: body.keepAlive?.seconds == 0 ? "unload" : "load"))
        }
        // Like Ollama, the prompt goes through the chat template unless `raw` is set.
        if body.raw == true {
            generation.input = .text(prompt)
        } else {
            var messages: [ChatMessage] = []
            if let system = body.system { messages.append(ChatMessage(role: "system", content: system)) }
            messages.append(ChatMessage(role: "user", content: prompt))
            generation.input = .chat(messages)
        }
        return try await respond(
            to: request, engine: engine, model: body.model, generation: generation, stream: body.stream, chat: false)
    }

    private func respond(
        to request: Request, engine: any InferenceEngine, model: String, generation: GenerationRequest, stream: Bool?,
        chat: Bool
    ) async throws -> Response {
        let started = ContinuousClock.now
        let events = try APIError.reportingEngineErrors { try engine.generate(generation) }
        let metrics = self.metrics
        @Sendable func chunk(_ text: String) -> OllamaGenerationChunk {
            OllamaGenerationChunk(
                model: model, createdAt: OllamaTime.format(Date()), message: chat ? .init(content: text) : nil,
                response: chat ? nil : text, done: false)
        }
        // Ollama streams unless told not to.
        if stream ?? true {
            return ServerSentEvents.response(style: .jsonLines, watching: request) { writer in
                var first = true
                for try await event in events {
                    switch event {
                    case .text(let text, _, _):
                        if first { metrics.recordFirstToken(since: started) }
                        first = false
                        try await writer.send(chunk(text))
                    case .finished(let summary):
                        metrics.record(summary)
                        var last = chunk("")
                        last.finish(with: summary, started: started)
                        try await writer.send(last)
                    }
                }
            }
        }
        let collected = try await request.cancellingWhenClientLeaves { try await events.collect() }
        guard let summary = collected.summary else {
            throw APIError(.internalServerError, "the generation ended without a summary")
        }
        metrics.record(summary)
        var final = chunk("")
        final.finish(with: summary, started: started)
        if chat { final.message = .init(content: collected.text) } else { final.response = collected.text }
        return try JSONResponse.make(final, headers: Request.closingHeaders)
    }

    struct EmbedBody: Encodable, Sendable {
        var model: String
        var embeddings: [[Float]]
        var totalDuration: Int64
        var loadDuration: Int64 = 0
        var promptEvalCount: Int

        enum CodingKeys: String, CodingKey {
            case model, embeddings
            case totalDuration = "total_duration"
            case loadDuration = "load_duration"
            case promptEvalCount = "prompt_eval_count"
        }
    }

    func embed(_ request: Request, _ context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let body = try await JSONBody.decode(OllamaEmbedRequest.self, from: request, limit: bodyLimit)
        let engine = try await engine(body.model, keepAlive: body.keepAlive)
        guard !body.input.values.isEmpty else {
            throw APIError.badField("input", "input is empty; send a string or a list of strings")
        }
        let result = try await APIError.reportingEngineErrors { try await engine.embed(body.input.values) }
        let elapsed = ContinuousClock.now - started
        return try JSONResponse.make(
            EmbedBody(
                model: body.model, embeddings: result.vectors,
                totalDuration: Int64(elapsed.components.seconds) * 1_000_000_000 + elapsed.components.attoseconds
                    / 1_000_000_000,
                promptEvalCount: result.promptTokens))
    }

    /// `/api/embeddings`, which older Ollama clients (and `ollama.embeddings`) still call: one vector for `prompt`,
    /// the same vector `/api/embed` gives for it. Without a prompt the model is only loaded, as Ollama does it, and
    /// the embedding is empty.
    func legacyEmbeddings(_ request: Request, _ context: Context) async throws -> Response {
        let body = try await JSONBody.decode(OllamaLegacyEmbeddingRequest.self, from: request, limit: bodyLimit)
        let engine = try await engine(body.model, keepAlive: body.keepAlive)
        guard let prompt = body.prompt, !prompt.isEmpty else {
            return try JSONResponse.make(["embedding": [Float]()])
        }
        let result = try await APIError.reportingEngineErrors { try await engine.embed([prompt]) }
        guard let vector = result.vectors.first else {
            throw APIError(.internalServerError, "the engine returned no embedding for the prompt")
        }
        return try JSONResponse.make(["embedding": vector])
    }
}
