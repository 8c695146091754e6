import BotticelliCore

/// The sampling fields shared by chat and text completions, with OpenAI's ranges checked.
struct SamplingFields: Decodable, Sendable {
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var temperature: Double?
    var topP: Double?
    var topK: Int?
    var minP: Double?
    var repeatPenalty: Double?
    var presencePenalty: Double?
    var frequencyPenalty: Double?
    var seed: Int64?
    var stop: StringOrList?
    var logitBias: [String: Double]?
    /// A GBNF grammar the output must follow (llama-server's extension).
    var grammar: String?
    /// Generate past the end-of-generation token, up to the token limit (llama-server's extension).
    var ignoreEos: Bool?

    enum CodingKeys: String, CodingKey {
        case temperature, seed, stop, grammar
        case ignoreEos = "ignore_eos"
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case repeatPenalty = "repeat_penalty"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case logitBias = "logit_bias"
    }

    /// max_completion_tokens, else max_tokens. Both are checked, so a bad max_tokens is refused even when
    /// max_completion_tokens wins.
    func resolvedMaxTokens() throws -> Int? {
        for (name, value) in [("max_completion_tokens", maxCompletionTokens), ("max_tokens", maxTokens)] {
            if let value, value < 1 {
                throw APIError.badField(name, "\(name) must be at least 1, got \(value)")
            }
        }
        return maxCompletionTokens ?? maxTokens
    }

    func parameters() throws -> SamplingParameters {
        var parameters = SamplingParameters()
        if let temperature {
            guard temperature.isFinite, (0...2).contains(temperature) else {
                throw APIError.badField("temperature", "temperature must be between 0 and 2, got \(temperature)")
            }
            parameters.temperature = temperature
        }
        if let topP {
            guard topP.isFinite, topP > 0, topP <= 1 else {
                throw APIError.badField("top_p", "top_p must be above 0 and at most 1, got \(topP)")
            }
            parameters.topP = topP
        }
        if let topK {
            guard topK >= 0 else { throw APIError.badField("top_k", "top_k must be 0 or more, got \(topK)") }
            parameters.topK = topK
        }
        if let minP {
            guard minP.isFinite, (0...1).contains(minP) else {
                throw APIError.badField("min_p", "min_p must be between 0 and 1, got \(minP)")
            }
            parameters.minP = minP
        }
        if let repeatPenalty {
            // llama.cpp divides by it: 1/repeat_penalty must be finite too, as llama-server checks.
            guard repeatPenalty.isFinite, repeatPenalty > 0, Float(1 / repeatPenalty).isFinite else {
                throw APIError.badField("repeat_penalty", "repeat_penalty must be above 0, got \(repeatPenalty)")
            }
            parameters.repeatPenalty = repeatPenalty
        }
        for (name, value) in [("presence_penalty", presencePenalty), ("frequency_penalty", frequencyPenalty)] {
            if let value, !(value.isFinite && (-2...2).contains(value)) {
                throw APIError.badField(name, "\(name) must be between -2 and 2, got \(value)")
            }
        }
        parameters.presencePenalty = presencePenalty ?? 0
        parameters.frequencyPenalty = frequencyPenalty ?? 0
        if let seed {
            parameters.seed = UInt32(truncatingIfNeeded: seed)
        }
        if let stop, stop.values.count > 16 {
            throw APIError.badField("stop", "stop takes at most 16 strings, got \(stop.values.count)")
        }
        if let logitBias {
            for (key, bias) in logitBias {
                // Decimal digits only: Int32("+5") and Int32("-0") parse, but they are not how token ids are written.
                guard key.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                    let token = Int32(key)
                else {
                    throw APIError.badField("logit_bias", "logit_bias keys must be token ids, got '\(key)'")
                }
                guard bias.isFinite, (-100...100).contains(bias) else {
                    throw APIError.badField("logit_bias", "logit_bias values must be between -100 and 100")
                }
                parameters.logitBias[token] = bias <= -100 ? -Double.infinity : bias
            }
        }
        return parameters
    }
}
