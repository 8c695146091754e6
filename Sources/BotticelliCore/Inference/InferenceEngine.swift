/// A loaded model that generates text, embeds and tokenizes. The server talks to this, never to llama.cpp, so its
/// routes can be tested with a stand-in engine.
public protocol InferenceEngine: Sendable {
    /// Facts about the model being served.
    var model: ServedModel { get }

    /// Starts a generation. Events arrive as the model produces them; cancelling the consuming task (or dropping
    /// the stream) stops the generation and frees its sequence.
    /// Throws `InferenceError` with `.busy` when the queue is full, `.contextExceeded` when the prompt is too long.
    func generate(_ request: GenerationRequest) throws -> AsyncThrowingStream<GenerationEvent, any Error>

    /// Starts several generations at once; an engine with parallel sequences queues them together, so they start in
    /// the same step, and throws without queueing any when one request is invalid or the queue has no room for all.
    func generate(_ requests: [GenerationRequest]) throws -> [AsyncThrowingStream<GenerationEvent, any Error>]

    /// L2-normalised embeddings, one per input, and the number of tokens read.
    func embed(_ inputs: [String]) async throws -> (vectors: [[Float]], promptTokens: Int)

    /// Token ids of `text`.
    func tokenize(_ text: String, addSpecial: Bool) async throws -> [Int32]

    /// Text of `tokens`.
    func detokenize(_ tokens: [Int32]) async throws -> String

    /// The prompt a chat conversation becomes under the model's chat template.
    func renderChat(_ messages: [ChatMessage], addGenerationPrompt: Bool) async throws -> String

    /// Sequences in use, requests waiting, and capacity.
    func status() async -> EngineStatus
}

extension InferenceEngine {
    /// One after the other, for engines without a queue of their own (the streams already started when a later
    /// request throws are dropped, which cancels them).
    public func generate(_ requests: [GenerationRequest]) throws -> [AsyncThrowingStream<GenerationEvent, any Error>] {
        try requests.map(generate)
    }
}

/// A model as the server describes it.
public struct ServedModel: Sendable, Hashable {
    /// The name clients use (`smollm2-135m-instruct-q4_1`, or the file name).
    public var id: String
    public var path: String
    public var sizeBytes: Int64
    public var contextLength: Int
    public var embeddingLength: Int
    public var architecture: String
    public var quantization: String
    public var parameterCount: UInt64
    public var chatTemplate: String?

    public init(
        id: String, path: String, sizeBytes: Int64, contextLength: Int, embeddingLength: Int, architecture: String,
        quantization: String, parameterCount: UInt64, chatTemplate: String?
    ) {
        self.id = id
        self.path = path
        self.sizeBytes = sizeBytes
        self.contextLength = contextLength
        self.embeddingLength = embeddingLength
        self.architecture = architecture
        self.quantization = quantization
        self.parameterCount = parameterCount
        self.chatTemplate = chatTemplate
    }
}

/// The engine's load, for /metrics, /health and the status page.
public struct EngineStatus: Sendable, Hashable {
    public var parallelSequences: Int
    public var busySequences: Int
    public var queuedRequests: Int
    public var queueCapacity: Int
    public var contextSize: Int
    /// The context each sequence has (the whole context when not given).
    public var sequenceContextSize: Int

    public init(
        parallelSequences: Int, busySequences: Int, queuedRequests: Int, queueCapacity: Int, contextSize: Int,
        sequenceContextSize: Int? = nil
    ) {
        self.parallelSequences = parallelSequences
        self.busySequences = busySequences
        self.queuedRequests = queuedRequests
        self.queueCapacity = queueCapacity
        self.contextSize = contextSize
        self.sequenceContextSize = sequenceContextSize ?? contextSize
    }
}
