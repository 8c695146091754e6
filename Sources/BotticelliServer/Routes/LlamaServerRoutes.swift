import BotticelliCore
import Foundation
import Hummingbird

/// llama-server's own routes beside the OpenAI ones, for the clients written against it: `/completion` and
/// `/props`.
struct LlamaServerRoutes<Context: RequestContext>: Sendable {
    let provider: any ModelProvider
    let metrics: ServerMetrics
    let bodyLimit: Int

    func register(on router: some RouterMethods<Context>) {
        router.post("completion") { request, context in try await completion(request, context) }
        router.get("props") { request, _ in try await props(request) }
    }

    /// What `GET /props` answers, with llama-server's field names.
    struct Properties: Encodable, Sendable {
        struct Defaults: Encodable, Sendable {
            var nCtx: Int
            var params: LlamaCompletionResult.Settings
            enum CodingKeys: String, CodingKey {
                case params
                case nCtx = "n_ctx"
            }
        }
        var defaultGenerationSettings: Defaults
        var totalSlots: Int
        var modelAlias: String
        var modelPath: String
        var modelFtype: String
        var chatTemplate: String
        var modalities: [String: Bool]
        var buildInfo: String
        var isSleeping: Bool

        enum CodingKeys: String, CodingKey {
            case modalities
            case defaultGenerationSettings = "default_generation_settings"
            case totalSlots = "total_slots"
            case modelAlias = "model_alias"
            case modelPath = "model_path"
            case modelFtype = "model_ftype"
            case chatTemplate = "chat_template"
            case buildInfo = "build_info"
            case isSleeping = "is_sleeping"
        }
    }

    /// llama-server's server properties, for the default model or the one named by `?model=` (loaded if it is not):
    /// the slots, each slot's context, the default sampling settings, the model file and its chat template.
    func props(_ request: Request) async throws -> Response {
        let engine: any InferenceEngine
        do {
            engine = try await provider.engine(for: request.uri.queryParameters["model"].map(String.init))
        } catch let error as ModelLookupError {
            throw APIError.modelNotFound(error)
        }
        let status = await engine.status()
        let model = engine.model
        return try JSONResponse.make(
            Properties(
                defaultGenerationSettings: .init(
                    nCtx: status.sequenceContextSize, params: .init(sampling: SamplingParameters())),
                totalSlots: status.parallelSequences, modelAlias: model.id, modelPath: model.path,
                modelFtype: model.quantization, chatTemplate: model.chatTemplate ?? "",
                modalities: ["vision": false, "audio": false, "video": false],
                buildInfo: "botticelli \(Botticelli.version)", isSleeping: false))
    }

    func completion(_ request: Request, _ context: Context) async throws -> Response {
        var request = request
        let started = ContinuousClock.now
        let body = try await JSONBody.decode(LlamaCompletionRequest.self, from: &request, limit: bodyLimit)
        let engine: any InferenceEngine
        do {
            engine = try await provider.engine(for: body.model)
        } catch let error as ModelLookupError {
            throw APIError.modelNotFound(error)
        }
        let (sampling, maxTokens, constraint) = try body.checked(
            contextSize: await engine.status().sequenceContextSize)
        var biased = sampling
        for (target, bias) in body.logitBias {
            switch target {
            case .token(let id):
                biased.logitBias[id] = bias
            case .text(let text):
                let ids = try await APIError.reportingEngineErrors {
                    try await engine.tokenize(text, addSpecial: false)
                }
                for id in ids { biased.logitBias[id] = bias }
            }
        }
        // Prompts become token ids here, as llama-server reads them: text is tokenized where it stands, with the
        // model's beginning-of-sequence token only when the prompt starts with text.
        var promptTokens: [[Int32]] = []
        for parts in body.prompts {
            var tokens: [Int32] = []
            for (position, part) in parts.enumerated() {
                switch part {
                case .token(let id):
                    tokens.append(id)
                case .text(let text):
                    tokens += try await APIError.reportingEngineErrors {
                        try await engine.tokenize(text, addSpecial: position == 0)
                    }
                }
            }
            promptTokens.append(tokens)
        }
        let generations = promptTokens.map { tokens in
            var generation = GenerationRequest(
                input: .tokens(tokens), maxTokens: maxTokens, sampling: biased, stop: body.stop,
                constraint: constraint, topLogprobs: (body.nProbs ?? 0) > 0 ? body.nProbs : nil)
            generation.ignoreEndOfGeneration = body.ignoreEos ?? false
            return generation
        }
        // The prompt as the model reads it, echoed in the result (this also refuses ids outside the vocabulary).
        var prompts: [String] = []
        for tokens in promptTokens {
            prompts.append(try await APIError.reportingEngineErrors { try await engine.detokenize(tokens) })
        }
        let streams = try APIError.reportingEngineErrors { try engine.generate(generations) }
        let settings = LlamaCompletionResult.Settings(body, sampling: biased, maxTokens: maxTokens)
        let model = engine.model.id
        let metrics = self.metrics
        let withProbabilities = (body.nProbs ?? 0) > 0
        let returnTokens = body.returnTokens == true
        if body.stream == true {
            let stream = streams[0]
            let evaluated = promptTokens[0].count
            let prompt = prompts[0]
            return ServerSentEvents.response(watching: request) { writer in
                var predicted = 0
                var generated = ""
                for try await item in stream.withHeartbeats(every: OpenAIRoutes<Context>.heartbeatInterval) {
                    guard case .event(let event) = item else {
                        if predicted == 0 { try await writer.sendHeartbeat() }
                        continue
                    }
                    switch event {
                    case .text(let text, let tokens, let logprobs):
                        if predicted == 0 { metrics.recordFirstToken(since: started) }
                        predicted += tokens.count
                        generated += text
                        try await writer.send(
                            LlamaCompletionResult.piece(
                                index: 0, text: text, tokens: tokens, predicted: predicted, evaluated: evaluated,
                                logprobs: withProbabilities ? logprobs : nil))
                    case .finished(let summary):
                        metrics.record(summary)
                        // llama-server streams the end-of-generation token as a piece of its own, with no text.
                        if let end = summary.endOfGenerationToken {
                            try await writer.send(
                                LlamaCompletionResult.piece(
                                    index: 0, text: "", tokens: [end], predicted: summary.completionTokens,
                                    evaluated: evaluated, logprobs: nil))
                        }
                        try await writer.send(
                            LlamaCompletionResult.final(
                                index: 0, content: "", generated: generated, tokens: nil, summary: summary,
                                model: model, prompt: prompt, settings: settings, maxTokens: maxTokens, logprobs: nil))
                    }
                }
            }
        }
        let results = try await request.cancellingWhenClientLeaves { try await streams.collectAll() }
        var answers: [LlamaCompletionResult] = []
        for (index, collected) in results.enumerated() {
            guard let summary = collected.summary else {
                throw APIError(.internalServerError, "the generation ended without a summary")
            }
            metrics.record(summary)
            answers.append(
                .final(
                    index: index, content: collected.text, generated: collected.text,
                    tokens: returnTokens ? collected.tokens : nil, summary: summary, model: model,
                    prompt: prompts[index],
                    settings: settings, maxTokens: maxTokens, logprobs: withProbabilities ? collected.logprobs : nil))
        }
        // One prompt gives one object, several an array, as llama-server answers.
        if answers.count == 1 { return try JSONResponse.make(answers[0], headers: Request.closingHeaders) }
        return try JSONResponse.make(answers, headers: Request.closingHeaders)
    }
}
