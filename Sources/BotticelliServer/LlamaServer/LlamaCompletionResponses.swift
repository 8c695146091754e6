import BotticelliCore

/// One result of `/completion`, or one streamed piece of it, with llama-server's field names. A streamed piece
/// carries `content`, `tokens`, `stop: false` and the counts; the last one, and a result that is not streamed,
/// carry the rest.
struct LlamaCompletionResult: Encodable, Sendable {
    var index: Int
    var content: String
    var tokens: [Int32]
    var stop: Bool
    var model: String?
    var tokensPredicted: Int
    var tokensEvaluated: Int
    var generationSettings: Settings?
    var prompt: String?
    var hasNewLine: Bool?
    var truncated: Bool?
    var stopType: String?
    var stoppingWord: String?
    var tokensCached: Int?
    var timings: Timings?
    var completionProbabilities: [Probability]?

    enum CodingKeys: String, CodingKey {
        case index, content, tokens, stop, model, prompt, truncated, timings
        case tokensPredicted = "tokens_predicted"
        case tokensEvaluated = "tokens_evaluated"
        case generationSettings = "generation_settings"
        case hasNewLine = "has_new_line"
        case stopType = "stop_type"
        case stoppingWord = "stopping_word"
        case tokensCached = "tokens_cached"
        case completionProbabilities = "completion_probabilities"
    }

    /// The settings the completion ran with, as llama-server echoes them: the basic ones here, llama.cpp's other
    /// samplers written by `SamplerExtras` into the same object.
    struct Settings: Encodable, Sendable {
        var nPredict: Int
        var seed: UInt32
        var temperature: Double
        var topK: Int
        var topP: Double
        var minP: Double
        var repeatPenalty: Double
        var presencePenalty: Double
        var frequencyPenalty: Double
        var ignoreEos: Bool
        var stream: Bool
        var nProbs: Int
        var stop: [String]
        var extras: SamplerExtras

        init(_ request: LlamaCompletionRequest, sampling: SamplingParameters, maxTokens: Int?) {
            self.init(
                sampling: sampling, maxTokens: maxTokens, ignoreEos: request.ignoreEos ?? false,
                stream: request.stream ?? false, nProbs: request.nProbs ?? 0, stop: request.stop)
        }

        init(
            sampling: SamplingParameters, maxTokens: Int? = nil, ignoreEos: Bool = false, stream: Bool = false,
            nProbs: Int = 0, stop: [String] = []
        ) {
            self.ignoreEos = ignoreEos
            self.stream = stream
            self.nProbs = nProbs
            self.stop = stop
            nPredict = maxTokens ?? -1
            // No seed is llama.cpp's "random" seed, as llama-server echoes it.
            seed = sampling.seed ?? UInt32.max
            temperature = sampling.temperature
            topK = sampling.topK
            topP = sampling.topP
            minP = sampling.minP
            repeatPenalty = sampling.repeatPenalty
            presencePenalty = sampling.presencePenalty
            frequencyPenalty = sampling.frequencyPenalty
            extras = SamplerExtras(sampling)
        }

        /// Under the request's own field names.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: LlamaCompletionRequest.CodingKeys.self)
            try container.encode(nPredict, forKey: .nPredict)
            try container.encode(seed, forKey: .seed)
            try container.encode(temperature, forKey: .temperature)
            try container.encode(topK, forKey: .topK)
            try container.encode(topP, forKey: .topP)
            try container.encode(minP, forKey: .minP)
            try container.encode(repeatPenalty, forKey: .repeatPenalty)
            try container.encode(presencePenalty, forKey: .presencePenalty)
            try container.encode(frequencyPenalty, forKey: .frequencyPenalty)
            try container.encode(ignoreEos, forKey: .ignoreEos)
            try container.encode(stream, forKey: .stream)
            try container.encode(nProbs, forKey: .nProbs)
            try container.encode(stop, forKey: .stop)
            try extras.encode(to: encoder)
        }
    }

    /// A generated token's log-probability with the most likely tokens at its position.
    struct Probability: Encodable, Sendable {
        struct Candidate: Encodable, Sendable {
            var id: Int32
            var token: String
            var bytes: [UInt8]
            var logprob: Double
        }
        var id: Int32
        var token: String
        var bytes: [UInt8]
        var logprob: Double
        var topLogprobs: [Candidate]

        init(_ logprob: TokenLogprob) {
            id = logprob.token
            token = logprob.text
            bytes = Array(logprob.text.utf8)
            self.logprob = logprob.logprob
            topLogprobs = logprob.alternatives.map {
                Candidate(id: $0.token, token: $0.text, bytes: Array($0.text.utf8), logprob: $0.logprob)
            }
        }

        enum CodingKeys: String, CodingKey {
            case id, token, bytes, logprob
            case topLogprobs = "top_logprobs"
        }
    }

    /// A streamed piece.
    static func piece(
        index: Int, text: String, tokens: [Int32], predicted: Int, evaluated: Int, logprobs: [TokenLogprob]?
    ) -> LlamaCompletionResult {
        LlamaCompletionResult(
            index: index, content: text, tokens: tokens, stop: false, tokensPredicted: predicted,
            tokensEvaluated: evaluated, completionProbabilities: probabilities(logprobs))
    }

    /// Left out when there are none, as llama-server leaves them out.
    private static func probabilities(_ logprobs: [TokenLogprob]?) -> [Probability]? {
        guard let logprobs, !logprobs.isEmpty else { return nil }
        return logprobs.map(Probability.init)
    }

    /// What the sequence's cache holds at the end: the prompt and every generated token fed back to the model, which
    /// is each but the last one sampled (fed back only if generation had gone on).
    private static func cachedTokens(_ summary: GenerationSummary) -> Int {
        summary.promptTokens + max(summary.completionTokens - 1, 0)
    }

    /// The last piece of a stream (`content` empty, as llama-server sends it), or the whole result; `tokens` nil
    /// when they were not asked for. `truncated` is llama-server's: generation stopped at the end of the context
    /// (`maxTokens` tells that from the token limit).
    static func final(
        index: Int, content: String, generated: String, tokens: [Int32]?, summary: GenerationSummary, model: String,
        prompt: String, settings: Settings, maxTokens: Int?, logprobs: [TokenLogprob]?
    ) -> LlamaCompletionResult {
        let stopType =
            switch summary.finishReason {
            case .stop: summary.stopString == nil ? "eos" : "word"
            case .length: "limit"
            case .cancelled: "none"
            }
        // llama-server lists the end-of-generation token among the predicted ones.
        let end = summary.endOfGenerationToken.map { [$0] } ?? []
        return LlamaCompletionResult(
            index: index, content: content, tokens: tokens.map { $0 + end } ?? [], stop: true, model: model,
            tokensPredicted: summary.completionTokens, tokensEvaluated: summary.promptTokens,
            generationSettings: settings, prompt: prompt, hasNewLine: generated.contains("\n"),
            truncated: summary.finishReason == .length && summary.completionTokens < (maxTokens ?? Int.max),
            stopType: stopType, stoppingWord: summary.stopString ?? "", tokensCached: cachedTokens(summary),
            timings: Timings(summary), completionProbabilities: probabilities(logprobs))
    }
}
