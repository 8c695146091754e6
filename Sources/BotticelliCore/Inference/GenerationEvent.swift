/// What a generation stream delivers: text as it forms, then one summary.
public enum GenerationEvent: Sendable, Hashable {
    /// New text (complete UTF-8), with the tokens that produced it and their log-probabilities if asked for.
    case text(String, tokens: [Int32], logprobs: [TokenLogprob])
    /// The last event of a stream.
    case finished(GenerationSummary)
}

/// Why generation ended.
public enum FinishReason: String, Sendable, Hashable, Codable {
    /// The model ended its answer, or a stop string appeared.
    case stop
    /// The token limit or the end of the context was reached.
    case length
    /// The consumer went away.
    case cancelled
}

/// A token's log-probability, with the most likely alternatives at that position.
public struct TokenLogprob: Sendable, Hashable {
    public var token: Int32
    public var text: String
    public var logprob: Double
    public var alternatives: [Alternative]

    public struct Alternative: Sendable, Hashable {
        public var token: Int32
        public var text: String
        public var logprob: Double

        public init(token: Int32, text: String, logprob: Double) {
            self.token = token
            self.text = text
            self.logprob = logprob
        }
    }

    public init(token: Int32, text: String, logprob: Double, alternatives: [Alternative]) {
        self.token = token
        self.text = text
        self.logprob = logprob
        self.alternatives = alternatives
    }
}

/// Counts and timings of a finished generation, as llama-server reports them.
public struct GenerationSummary: Sendable, Hashable {
    public var finishReason: FinishReason
    /// Tokens in the prompt, including those reused from the cache.
    public var promptTokens: Int
    /// Prompt tokens that were already in the KV cache and not processed again.
    public var cachedPromptTokens: Int
    /// Tokens generated, the end-of-generation token the model ended with included (as llama-server and Ollama
    /// count them), though that one is never streamed.
    public var completionTokens: Int
    /// Seconds spent processing the prompt (the uncached part).
    public var promptSeconds: Double
    /// Seconds from the first to the last generated token.
    public var generationSeconds: Double
    /// The stop string that ended the generation; nil when it ended otherwise (finish reason `stop` without one is
    /// the model's end-of-generation token).
    public var stopString: String?
    /// The end-of-generation token the model ended with: counted in `completionTokens`, never streamed
    /// (llama-server's own /completion lists it among the tokens).
    public var endOfGenerationToken: Int32?

    public init(
        finishReason: FinishReason, promptTokens: Int, cachedPromptTokens: Int, completionTokens: Int,
        promptSeconds: Double, generationSeconds: Double, stopString: String? = nil, endOfGenerationToken: Int32? = nil
    ) {
        self.stopString = stopString
        self.endOfGenerationToken = endOfGenerationToken
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.cachedPromptTokens = cachedPromptTokens
        self.completionTokens = completionTokens
        self.promptSeconds = promptSeconds
        self.generationSeconds = generationSeconds
    }

    /// Prompt tokens processed per second.
    public var promptTokensPerSecond: Double {
        promptSeconds > 0 ? Double(promptTokens - cachedPromptTokens) / promptSeconds : 0
    }
    /// Generated tokens per second.
    public var generatedTokensPerSecond: Double {
        generationSeconds > 0 ? Double(completionTokens) / generationSeconds : 0
    }
}
