import BotticelliLlama

/// How a served model's engine is sized. The defaults follow llama-server's.
public struct EngineConfiguration: Sendable, Hashable {
    /// Sequences decoded together in one context (llama-server's slots).
    public var parallelSequences: Int = 4
    /// KV-cache size in tokens, shared by all sequences (unified cache); 0 takes the model's training context.
    public var contextSize: Int = 4096
    /// The most tokens one decode step carries (generation tokens plus prompt chunks).
    public var batchSize: Int = 2048
    /// The physical micro-batch llama.cpp computes at once.
    public var microBatchSize: Int = 512
    /// Threads for generating; nil uses every core.
    public var threads: Int?
    /// Threads for prompt processing; nil uses `threads`.
    public var batchThreads: Int?
    /// Requests that may wait for a free sequence; beyond that `generate` throws `.busy`.
    public var queueCapacity: Int = 64
    /// How the model file is loaded.
    public var model = LlamaModel.Options()

    public init() {}

    var resolvedThreads: Int { threads ?? LlamaContext.defaultThreadCount }
}
