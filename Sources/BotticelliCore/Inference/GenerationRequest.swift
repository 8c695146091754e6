/// What to generate: a prompt, how to sample, and when to stop.
public struct GenerationRequest: Sendable, Hashable {
    /// The input: plain text (continued as is), a chat conversation (rendered with the model's chat template), or
    /// token ids given as they are (llama-server's token prompts: no beginning-of-sequence token is added).
    public enum Input: Sendable, Hashable {
        case text(String)
        case chat([ChatMessage])
        case tokens([Int32])
    }

    public var input: Input
    /// The most tokens to generate; nil generates until the model stops or the context is full.
    public var maxTokens: Int?
    public var sampling: SamplingParameters
    /// Strings that end generation; the stop string itself is never part of the output.
    public var stop: [String]
    /// A constraint on the output's shape.
    public var constraint: OutputConstraint?
    /// How many alternatives to report with each token's log-probability; nil reports none.
    public var topLogprobs: Int?
    /// Never end at an end-of-generation token (llama-server's `ignore_eos`), for benchmarks.
    public var ignoreEndOfGeneration = false

    public init(
        input: Input,
        maxTokens: Int? = nil,
        sampling: SamplingParameters = SamplingParameters(),
        stop: [String] = [],
        constraint: OutputConstraint? = nil,
        topLogprobs: Int? = nil
    ) {
        self.input = input
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stop = stop
        self.constraint = constraint
        self.topLogprobs = topLogprobs
    }
}

/// One message of a chat conversation.
public struct ChatMessage: Sendable, Hashable, Codable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// A constraint on generated text.
public enum OutputConstraint: Sendable, Hashable {
    /// A GBNF grammar, as llama.cpp's grammar sampler reads it.
    case grammar(String)
    /// Any valid JSON object.
    case jsonObject
    /// JSON that validates against a JSON Schema, given as its JSON text.
    case jsonSchema(String)
}
