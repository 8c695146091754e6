/// How the next token is chosen. The defaults match llama-server's.
public struct SamplingParameters: Sendable, Hashable {
    /// 0 or less always takes the most likely token.
    public var temperature: Double = 0.8
    /// Sample only from the k most likely tokens; 0 disables.
    public var topK: Int = 40
    /// Nucleus sampling; 1 disables.
    public var topP: Double = 0.95
    /// Drop tokens less likely than this fraction of the most likely one; 0 disables.
    public var minP: Double = 0.05
    /// Multiplicative penalty for recent tokens; 1 disables.
    public var repeatPenalty: Double = 1.0
    /// Subtracted once from the logit of any token already generated (OpenAI's presence_penalty).
    public var presencePenalty: Double = 0
    /// Subtracted per occurrence (OpenAI's frequency_penalty).
    public var frequencyPenalty: Double = 0
    /// How many recent tokens the penalties consider.
    public var penaltyWindow: Int = 64
    /// The random seed; nil picks one.
    public var seed: UInt32?
    /// Added to a token's logit; negative infinity bans it.
    public var logitBias: [Int32: Double] = [:]

    public init() {}

    /// Always the most likely token.
    public static var greedy: SamplingParameters {
        var parameters = SamplingParameters()
        parameters.temperature = 0
        return parameters
    }
}
