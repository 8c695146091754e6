import BotticelliCore
import BotticelliLlama
import Foundation
import Logging

/// The inference engine over llama.cpp: one model, one context with several parallel sequences, continuous
/// batching on a dedicated thread, prefix reuse across requests, and a bounded queue.
public final class LlamaServingEngine: InferenceEngine {
    public let model: ServedModel
    let llamaModel: LlamaModel
    private let scheduler: BatchScheduler
    private let chat: ChatRenderer
    private let embeddings: EmbeddingWorker
    private let logger: Logger
    private let endOfGenerationTokens: [Int32]

    /// Loads the model at `path` and starts the scheduler.
    public init(id: String, path: String, configuration: EngineConfiguration = EngineConfiguration(), logger: Logger)
        throws
    {
        // Our GGUF reader checks the file first, so a truncated or corrupt file gets a precise error, not a C abort.
        let header = try GGUFReader.read(path: path)
        let llamaModel = try LlamaModel(path: path, options: configuration.model)
        let contextSize = configuration.contextSize > 0 ? configuration.contextSize : llamaModel.trainingContextLength
        let context = try LlamaContext(
            model: llamaModel,
            options: LlamaContext.Options(
                contextSize: contextSize,
                batchSize: min(configuration.batchSize, contextSize),
                microBatchSize: configuration.microBatchSize,
                sequences: configuration.parallelSequences,
                threads: configuration.resolvedThreads,
                batchThreads: configuration.batchThreads ?? configuration.resolvedThreads,
                unifiedCache: false))
        self.llamaModel = llamaModel
        self.logger = logger
        self.scheduler = BatchScheduler(
            context: context, parallelSequences: configuration.parallelSequences,
            queueCapacity: configuration.queueCapacity, logger: logger)
        self.chat = ChatRenderer(model: llamaModel)
        self.endOfGenerationTokens = (0..<Int32(llamaModel.vocabularySize)).filter { llamaModel.isEndOfGeneration($0) }
        self.embeddings = EmbeddingWorker(model: llamaModel, threads: configuration.resolvedThreads)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        self.model = ServedModel(
            id: id,
            path: path,
            sizeBytes: size,
            contextLength: llamaModel.trainingContextLength,
            embeddingLength: llamaModel.embeddingLength,
            architecture: header.architecture ?? "unknown",
            quantization: header.fileType.map { "\($0)" } ?? "unknown",
            parameterCount: llamaModel.parameterCount,
            chatTemplate: llamaModel.chatTemplate)
        scheduler.start()
    }

    deinit {
        scheduler.shutdown()
    }

    /// Stops the scheduler; waiting and running generations end with an error.
    public func shutdown() {
        scheduler.shutdown()
    }

    public func generate(_ request: GenerationRequest) throws -> AsyncThrowingStream<GenerationEvent, any Error> {
        try generate([request])[0]
    }

    /// Starts several generations at once: all are queued together (or none, when the queue has no room for all),
    /// so free sequences take them in the same decode step and they advance in lockstep, as llama-batched-bench's
    /// sequences do. Throws the first request's validation error, before anything is queued.
    public func generate(_ requests: [GenerationRequest]) throws -> [AsyncThrowingStream<GenerationEvent, any Error>] {
        let prepared = try requests.map(prepare)
        try scheduler.submit(prepared.compactMap(\.pending))
        return prepared.map(\.stream)
    }

    /// Tokenizes and validates a request and builds its sampler; `pending` is nil when there is nothing to generate.
    private func prepare(_ request: GenerationRequest) throws -> (
        pending: PendingGeneration?, stream: AsyncThrowingStream<GenerationEvent, any Error>
    ) {
        let tokens: [Int32]
        switch request.input {
        case .text(let text):
            tokens = try llamaModel.tokenize(text, addSpecial: true, parseSpecial: true)
        case .chat(let messages):
            let prompt = try chat.render(messages, addGenerationPrompt: true)
            tokens = try llamaModel.tokenize(prompt, addSpecial: true, parseSpecial: true)
        case .tokens(let given):
            let size = Int32(llamaModel.vocabularySize)
            if let bad = given.first(where: { $0 < 0 || $0 >= size }) {
                throw InferenceError(
                    .invalidRequest, "prompt token \(bad) is outside the vocabulary (0 to \(size - 1))")
            }
            tokens = given
        }
        guard !tokens.isEmpty else {
            throw InferenceError(.invalidRequest, "the prompt is empty; give some text")
        }
        let limit = scheduler.context.sequenceContextSize
        guard tokens.count < limit else {
            throw InferenceError(
                .contextExceeded,
                "the prompt has \(tokens.count) tokens but the context holds \(limit); "
                    + "shorten the prompt or start the server with a larger --ctx-size")
        }
        if let maxTokens = request.maxTokens, maxTokens < 0 {
            throw InferenceError(.invalidRequest, "max tokens must be 0 or more, got \(maxTokens)")
        }
        let sampler: LlamaSampler
        do {
            sampler = try LlamaSampler(model: llamaModel, options: try samplerOptions(for: request))
        } catch let error as LlamaError {
            throw InferenceError(.invalidRequest, error.message)
        }
        sampler.acceptPrompt(tokens)
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
        if request.maxTokens == 0 {
            continuation.yield(
                .finished(
                    GenerationSummary(
                        finishReason: .length, promptTokens: tokens.count, cachedPromptTokens: 0, completionTokens: 0,
                        promptSeconds: 0, generationSeconds: 0)))
            continuation.finish()
            return (nil, stream)
        }
        let pending = PendingGeneration(
            promptTokens: tokens,
            maxTokens: request.maxTokens ?? Int.max,
            stopStrings: request.stop,
            topLogprobs: request.topLogprobs,
            sampler: sampler,
            continuation: continuation)
        let scheduler = self.scheduler
        continuation.onTermination = { termination in
            if case .cancelled = termination {
                pending.cancel()
                scheduler.poke()
            }
        }
        return (pending, stream)
    }

    private func samplerOptions(for request: GenerationRequest) throws -> LlamaSampler.Options {
        var options = LlamaSampler.Options(
            request.sampling, sequenceContextSize: scheduler.context.sequenceContextSize)
        if request.ignoreEndOfGeneration {
            for token in endOfGenerationTokens { options.logitBias[token] = -Float.infinity }
        }
        switch request.constraint {
        case nil:
            break
        case .grammar(let grammar):
            options.grammar = grammar
        case .jsonObject:
            options.grammar = JSONSchemaGrammar.anyJSONObject
        case .jsonSchema(let schema):
            do {
                options.grammar = try JSONSchemaGrammar.grammar(forSchema: schema)
            } catch let error as JSONSchemaError {
                throw InferenceError(.invalidRequest, "the JSON schema cannot be used: \(error.message)")
            }
        }
        return options
    }

    public func embed(_ inputs: [String]) async throws -> (vectors: [[Float]], promptTokens: Int) {
        try await embeddings.embed(inputs)
    }

    public func tokenize(_ text: String, addSpecial: Bool) async throws -> [Int32] {
        try llamaModel.tokenize(text, addSpecial: addSpecial, parseSpecial: true)
    }

    public func detokenize(_ tokens: [Int32]) async throws -> String {
        let size = Int32(llamaModel.vocabularySize)
        if let bad = tokens.first(where: { $0 < 0 || $0 >= size }) {
            throw InferenceError(.invalidRequest, "token \(bad) is outside the vocabulary (0 to \(size - 1))")
        }
        // Special tokens are written out (`<|im_start|>`), as llama-server's /detokenize writes them.
        return try llamaModel.detokenize(tokens, renderSpecial: true)
    }

    public func renderChat(_ messages: [ChatMessage], addGenerationPrompt: Bool) async throws -> String {
        try chat.render(messages, addGenerationPrompt: addGenerationPrompt)
    }

    public func status() async -> EngineStatus {
        let (busy, queued) = scheduler.status()
        return EngineStatus(
            parallelSequences: scheduler.parallelSequences, busySequences: busy, queuedRequests: queued,
            queueCapacity: scheduler.capacity, contextSize: scheduler.contextSize,
            sequenceContextSize: scheduler.context.sequenceContextSize)
    }
}
