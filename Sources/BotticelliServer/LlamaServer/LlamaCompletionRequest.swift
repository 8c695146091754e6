import BotticelliCore

/// `POST /completion`, llama-server's own completion route (not OpenAI's), with its field names, defaults and
/// prompt shapes: text, token ids, both mixed (`[12, 34, "text", 56]`), `{"prompt_string": "text"}`, or a list of
/// those for several completions at once.
///
/// Every llama.cpp sampler llama-server offers is here (Mirostat, DRY, XTC, typical-p, dynamic temperature,
/// top-n-sigma). What this server does not do (LoRA, several completions per prompt, a time limit, indentation,
/// probabilities after sampling, chosen response fields) is accepted at its "off" value, which clients send by
/// default, and refused otherwise, never silently ignored.
struct LlamaCompletionRequest: Decodable, Sendable {
    /// A piece of one prompt: text is tokenized where it stands, ids are taken as they are.
    enum Part: Sendable, Hashable {
        case text(String)
        case token(Int32)
    }

    /// A logit bias entry: a token id, or a text whose every token gets the bias.
    enum BiasTarget: Sendable, Hashable {
        case token(Int32)
        case text(String)
    }

    var model: String?
    var prompts: [[Part]]
    var nPredict: Int?
    var stream: Bool?
    var temperature: Double?
    var topK: Int?
    var topP: Double?
    var minP: Double?
    var repeatPenalty: Double?
    var presencePenalty: Double?
    var frequencyPenalty: Double?
    var seed: Int64?
    var stop: [String]
    var grammar: String?
    var jsonSchema: JSONValue?
    var ignoreEos: Bool?
    var logitBias: [(target: BiasTarget, bias: Double)]
    var nProbs: Int?
    var returnTokens: Bool?
    var extras: SamplerExtras
    /// Fields found wrong while decoding, or set to something this server does not do, with why; `checked()` refuses
    /// the first.
    private var refused: [(field: String, message: String)] = []

    /// The request's field names, which `generation_settings` echoes too.
    enum CodingKeys: String, CodingKey {
        case model, prompt, stream, temperature, seed, stop, grammar, lora
        case cachePrompt = "cache_prompt"
        case nPredict = "n_predict"
        case topK = "top_k"
        case topP = "top_p"
        case minP = "min_p"
        case repeatPenalty = "repeat_penalty"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case jsonSchema = "json_schema"
        case ignoreEos = "ignore_eos"
        case logitBias = "logit_bias"
        case nProbs = "n_probs"
        case returnTokens = "return_tokens"
        case nIndent = "n_indent"
        case maxPredictMilliseconds = "t_max_predict_ms"
        case completionCount = "n_cmpl"
        case completionCountAlias = "n"
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case logprobs
        case postSamplingProbs = "post_sampling_probs"
        case responseFields = "response_fields"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        prompts = try Self.prompts(from: try container.decode(JSONValue.self, forKey: .prompt))
        // llama-server's aliases: max_tokens (or max_completion_tokens) for n_predict, logprobs for n_probs, n for
        // n_cmpl, each read when the field itself is absent.
        let limits = [
            ("n_predict", try container.decodeIfPresent(Int.self, forKey: .nPredict)),
            ("max_tokens", try container.decodeIfPresent(Int.self, forKey: .maxTokens)),
            ("max_completion_tokens", try container.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)),
        ]
        nPredict = limits.lazy.compactMap(\.1).first
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        temperature = try container.decodeIfPresent(Double.self, forKey: .temperature)
        topK = try container.decodeIfPresent(Int.self, forKey: .topK)
        topP = try container.decodeIfPresent(Double.self, forKey: .topP)
        minP = try container.decodeIfPresent(Double.self, forKey: .minP)
        repeatPenalty = try container.decodeIfPresent(Double.self, forKey: .repeatPenalty)
        presencePenalty = try container.decodeIfPresent(Double.self, forKey: .presencePenalty)
        frequencyPenalty = try container.decodeIfPresent(Double.self, forKey: .frequencyPenalty)
        seed = try container.decodeIfPresent(Int64.self, forKey: .seed)
        stop = try container.decodeIfPresent(StringOrList.self, forKey: .stop)?.values ?? []
        grammar = try container.decodeIfPresent(String.self, forKey: .grammar)
        jsonSchema = try container.decodeIfPresent(JSONValue.self, forKey: .jsonSchema)
        ignoreEos = try container.decodeIfPresent(Bool.self, forKey: .ignoreEos)
        logitBias = try Self.logitBias(from: try container.decodeIfPresent(JSONValue.self, forKey: .logitBias))
        let probabilityCounts = [
            ("n_probs", try container.decodeIfPresent(Int.self, forKey: .nProbs)),
            ("logprobs", try container.decodeIfPresent(Int.self, forKey: .logprobs)),
        ]
        nProbs = probabilityCounts.lazy.compactMap(\.1).first
        // Every spelling given is checked, not only the one used.
        for (name, value) in limits {
            if let value, value < -1 {
                refused.append((name, "\(name) must be -1 (no limit), 0 or more, got \(value)"))
            }
        }
        for (name, value) in probabilityCounts {
            if let value, !(0...100).contains(value) {
                refused.append((name, "\(name) must be between 0 and 100, got \(value)"))
            }
        }
        returnTokens = try container.decodeIfPresent(Bool.self, forKey: .returnTokens)
        // Checked, and otherwise unused: a prompt's cached prefix is always reused.
        _ = try container.decodeIfPresent(Bool.self, forKey: .cachePrompt)

        extras = try SamplerExtras(from: decoder)

        // What this server does not do, at anything but its "off" value.
        func number(_ key: CodingKeys) throws -> Double? { try container.decodeIfPresent(Double.self, forKey: key) }
        if let value = try number(.nIndent), value > 0 {
            refused.append(("n_indent", "n_indent is not supported; send 0"))
        }
        if let value = try number(.maxPredictMilliseconds), value > 0 {
            refused.append(("t_max_predict_ms", "a time limit on generation is not supported; send 0"))
        }
        for (key, name) in [(CodingKeys.completionCount, "n_cmpl"), (.completionCountAlias, "n")] {
            if let value = try number(key), value > 1 {
                refused.append((name, "several completions of one prompt are not supported; send \(name) 1"))
            }
        }
        if try container.decodeIfPresent(Bool.self, forKey: .postSamplingProbs) == true {
            refused.append(("post_sampling_probs", "probabilities after sampling are not supported; send false"))
        }
        if let fields = try container.decodeIfPresent([String].self, forKey: .responseFields), !fields.isEmpty {
            refused.append(("response_fields", "choosing response fields is not supported; leave it out"))
        }
        if let adapters = try container.decodeIfPresent([JSONValue].self, forKey: .lora), !adapters.isEmpty {
            refused.append(("lora", "LoRA adapters are not supported; leave lora out"))
        }
    }

    /// Checks what decoding cannot and gives the sampling settings; `contextSize` is what `repeat_last_n: -1`
    /// means (the whole context).
    func checked(contextSize: Int) throws -> (
        sampling: SamplingParameters, maxTokens: Int?, constraint: OutputConstraint?
    ) {
        if let (field, message) = refused.first { throw APIError.badField(field, message) }
        if stream == true, prompts.count > 1 {
            throw APIError.badField("prompt", "streaming takes one prompt; send a string or one list of tokens")
        }
        var sampling = SamplingParameters()
        for (name, value) in [
            ("temperature", temperature), ("top_p", topP), ("min_p", minP), ("repeat_penalty", repeatPenalty),
            ("presence_penalty", presencePenalty), ("frequency_penalty", frequencyPenalty),
        ] {
            // Finite as the Float the sampler takes, too: an infinite temperature would turn a banned token's
            // -infinity into NaN.
            if let value, !Float(value).isFinite {
                throw APIError.badField(name, "\(name) must be a finite number, got \(value)")
            }
        }
        // As llama-server reads them: a temperature of 0 or less is greedy, top_k 0 or less keeps every token.
        if let temperature { sampling.temperature = max(temperature, 0) }
        if let topK { sampling.topK = max(topK, 0) }
        if let topP {
            guard (0...1).contains(topP) else { throw APIError.badField("top_p", "top_p must be between 0 and 1") }
            sampling.topP = topP
        }
        if let minP {
            guard (0...1).contains(minP) else { throw APIError.badField("min_p", "min_p must be between 0 and 1") }
            sampling.minP = minP
        }
        if let repeatPenalty {
            // llama.cpp divides by it: 1/repeat_penalty must be finite too, as llama-server checks.
            guard repeatPenalty > 0, Float(1 / repeatPenalty).isFinite else {
                throw APIError.badField(
                    "repeat_penalty", "repeat_penalty must be above 0 (1 turns it off), got \(repeatPenalty)")
            }
            sampling.repeatPenalty = repeatPenalty
        }
        sampling.presencePenalty = presencePenalty ?? 0
        sampling.frequencyPenalty = frequencyPenalty ?? 0
        try extras.apply(to: &sampling, contextSize: contextSize)
        if let seed, seed != -1 {
            guard let value = UInt32(exactly: seed) else {
                throw APIError.badField("seed", "seed must be -1 (random) or between 0 and \(UInt32.max)")
            }
            sampling.seed = value
        }
        if stop.count > 16 {
            throw APIError.badField("stop", "stop takes at most 16 strings, got \(stop.count)")
        }
        let constraint: OutputConstraint?
        switch (grammar, jsonSchema) {
        case (let grammar?, nil):
            constraint = .grammar(grammar)
        case (nil, .object(let fields)?):
            constraint = .jsonSchema(JSONValue.object(fields).jsonText)
        case (nil, nil), (nil, .null?):
            constraint = nil
        case (nil, _?):
            throw APIError.badField("json_schema", "json_schema must be a JSON Schema object")
        case (_?, _?):
            throw APIError.badField("grammar", "give either grammar or json_schema, not both")
        }
        return (sampling, nPredict == -1 ? nil : nPredict, constraint)
    }

    private static func badPrompt(_ message: String) -> APIError { APIError.badField("prompt", message) }

    /// llama-server's reading: a list with no number in it is a list of prompts; anything else is one prompt.
    static func prompts(from value: JSONValue) throws -> [[Part]] {
        if case .array(let items) = value, !items.contains(where: { $0.tokenID != nil }) {
            guard !items.isEmpty else { throw badPrompt("prompt is an empty list; send at least one prompt") }
            return try items.map(subprompt)
        }
        return [try subprompt(value)]
    }

    private static func subprompt(_ value: JSONValue) throws -> [Part] {
        switch value {
        case .string(let text):
            return [.text(text)]
        case .array(let items):
            guard !items.isEmpty else { throw badPrompt("a prompt is an empty list of tokens") }
            return try items.map { item in
                if let id = item.tokenID { return .token(id) }
                if case .string(let text) = item { return .text(text) }
                throw badPrompt("a prompt list holds token ids (whole numbers) and strings only")
            }
        case .object(let fields):
            if let media = fields["multimodal_data"] {
                guard case .array(let items) = media, items.isEmpty else {
                    throw badPrompt("this server has no multimodal support; send text only")
                }
            }
            guard case .string(let text)? = fields["prompt_string"] else {
                throw badPrompt("a prompt object needs a prompt_string")
            }
            return [.text(text)]
        default:
            throw badPrompt("prompt must be a string, a list of token ids and strings, or a list of prompts")
        }
    }

    /// `[[15043, 1.0], [15044, false], ["Hello", -0.5]]` or `{"15043": 1.0, "Hello": -0.5}`; false bans.
    static func logitBias(from value: JSONValue?) throws -> [(target: BiasTarget, bias: Double)] {
        func bad() -> APIError {
            APIError.badField(
                "logit_bias",
                "logit_bias must be [[token id or text, bias or false], ...] or {\"token id or text\": bias}")
        }
        func bias(_ value: JSONValue) throws -> Double {
            switch value {
            // A bias beyond a billion already decides; capped so that it stays finite as a Float.
            case .number(let number) where number.isFinite: return min(max(number, -1e9), 1e9)
            case .bool(false): return -.infinity
            default: throw bad()
            }
        }
        switch value {
        case nil, .null?:
            return []
        case .array(let entries)?:
            return try entries.map { entry in
                guard case .array(let pair) = entry, pair.count == 2 else { throw bad() }
                if let id = pair[0].tokenID { return (.token(id), try bias(pair[1])) }
                guard case .string(let text) = pair[0] else { throw bad() }
                return (.text(text), try bias(pair[1]))
            }
        case .object(let fields)?:
            return try fields.sorted { $0.key < $1.key }.map { key, value in
                let isID = !key.isEmpty && key.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                if isID, let id = Int32(key) { return (.token(id), try bias(value)) }
                return (.text(key), try bias(value))
            }
        default:
            throw bad()
        }
    }
}

extension JSONValue {
    /// The value as a token id: a whole number that fits in 32 bits.
    var tokenID: Int32? {
        guard case .number(let number) = self, number.rounded() == number else { return nil }
        return Int32(exactly: number)
    }
}
