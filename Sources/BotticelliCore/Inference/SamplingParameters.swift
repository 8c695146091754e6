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
    /// How many recent tokens the penalties consider (the prompt's included); -1 is the whole context.
    public var penaltyWindow: Int = 64
    /// The random seed; nil picks one.
    public var seed: UInt32?
    /// Added to a token's logit; negative infinity bans it.
    public var logitBias: [Int32: Double] = [:]
    /// Locally typical sampling; 1 disables.
    public var typicalP: Double = 1
    /// Dynamic temperature: the temperature moves within temperature ± this range with the entropy of the
    /// candidates, shaped by the exponent; 0 disables.
    public var dynamicTemperatureRange: Double = 0
    public var dynamicTemperatureExponent: Double = 1
    /// XTC: with this probability, the tokens above the threshold but the least likely of them are removed;
    /// 0 disables (so does a threshold above 0.5).
    public var xtcProbability: Double = 0
    public var xtcThreshold: Double = 0.1
    /// Keeps the tokens within this many standard deviations of the top logit; 0 or less disables.
    public var topNSigma: Double = -1
    /// DRY ("don't repeat yourself"): a token that would extend a repetition longer than the allowed length is
    /// penalised by multiplier × base^(length − allowed); the repetitions are looked for in the last `dryWindow`
    /// tokens and do not cross a sequence breaker. A multiplier of 0 disables.
    public var dryMultiplier: Double = 0
    public var dryBase: Double = 1.75
    public var dryAllowedLength: Int = 2
    public var dryWindow: Int = 64
    public var drySequenceBreakers: [String] = ["\n", ":", "\"", "*"]
    /// Mirostat 1 or 2 (0 disables): aims at a target surprise (tau) with learning rate eta; it replaces every
    /// other sampler but the temperature, the logit bias and a grammar, as in llama.cpp.
    public var mirostat: Int = 0
    public var mirostatTau: Double = 5
    public var mirostatEta: Double = 0.1
    /// The samplers after the logit bias and the grammar, in order; one left out is not used.
    public var order: [SamplerStage] = SamplerStage.llamaDefault
    /// The fewest tokens top-p, min-p, typical-p and XTC keep.
    public var minKeep: Int = 0

    public init() {}

    /// Always the most likely token.
    public static var greedy: SamplingParameters {
        var parameters = SamplingParameters()
        parameters.temperature = 0
        return parameters
    }
}

/// A sampler whose place in the chain a request may choose (llama-server's `samplers`), named as llama.cpp names it.
public enum SamplerStage: String, Sendable, Hashable, CaseIterable {
    case penalties
    case dry
    case topNSigma = "top_n_sigma"
    case topK = "top_k"
    case typicalP = "typ_p"
    case topP = "top_p"
    case minP = "min_p"
    case xtc
    case temperature

    /// llama.cpp's default order.
    public static let llamaDefault: [SamplerStage] = [
        .penalties, .dry, .topNSigma, .topK, .typicalP, .topP, .minP, .xtc, .temperature,
    ]
}
