import BotticelliCore

/// Ollama's `options` object: the sampling settings a request may carry. Those it shares with llama-server
/// (`repeat_last_n`, `typical_p`, `mirostat`, `mirostat_tau`, `mirostat_eta`, and llama.cpp's other samplers) are
/// read and checked by `SamplerExtras`, as on the other completion routes.
struct OllamaOptions: Decodable, Sendable {
    var temperature: Double?
    var topP: Double?
    var topK: Int?
    var minP: Double?
    var seed: Int64?
    var numPredict: Int?
    var stop: StringOrList?
    var numCtx: Int?
    var repeatPenalty: Double?
    var presencePenalty: Double?
    var frequencyPenalty: Double?
    var extras: SamplerExtras

    enum CodingKeys: String, CodingKey {
        case temperature, seed, stop
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case numPredict = "num_predict"
        case numCtx = "num_ctx"
        case repeatPenalty = "repeat_penalty"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        temperature = try container.decodeIfPresent(Double.self, forKey: .temperature)
        topP = try container.decodeIfPresent(Double.self, forKey: .topP)
        topK = try container.decodeIfPresent(Int.self, forKey: .topK)
        minP = try container.decodeIfPresent(Double.self, forKey: .minP)
        seed = try container.decodeIfPresent(Int64.self, forKey: .seed)
        numPredict = try container.decodeIfPresent(Int.self, forKey: .numPredict)
        stop = try container.decodeIfPresent(StringOrList.self, forKey: .stop)
        numCtx = try container.decodeIfPresent(Int.self, forKey: .numCtx)
        repeatPenalty = try container.decodeIfPresent(Double.self, forKey: .repeatPenalty)
        presencePenalty = try container.decodeIfPresent(Double.self, forKey: .presencePenalty)
        frequencyPenalty = try container.decodeIfPresent(Double.self, forKey: .frequencyPenalty)
        extras = try SamplerExtras(from: decoder)
    }

    func apply(to request: inout GenerationRequest, contextSize: Int) throws {
        var fields = SamplingFields()
        fields.temperature = temperature
        fields.topP = topP
        fields.topK = topK
        fields.minP = minP
        fields.seed = seed
        fields.repeatPenalty = repeatPenalty
        fields.presencePenalty = presencePenalty
        fields.frequencyPenalty = frequencyPenalty
        var parameters = try fields.parameters()
        try extras.apply(to: &parameters, contextSize: contextSize)
        request.sampling = parameters
        // Ollama: -1 generates without limit, -2 until the context is full.
        if let numPredict {
            guard numPredict >= -2 else {
                throw APIError.badField("options.num_predict", "num_predict must be -2, -1 or more, got \(numPredict)")
            }
            request.maxTokens = numPredict < 0 ? nil : numPredict
        }
        if let stop { request.stop = stop.values }
        if let numCtx, numCtx <= 0 {
            throw APIError.badField("options.num_ctx", "num_ctx must be positive, got \(numCtx)")
        }
    }
}

/// Ollama's `format`: "json", a JSON schema object, or "" (which Ollama reads as no format).
enum OllamaFormat: Decodable, Sendable {
    case none
    case json
    case schema(JSONValue)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard text == "json" || text.isEmpty else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription: "format must be \"json\" or a JSON schema object, got \"\(text)\""))
            }
            self = text.isEmpty ? .none : .json
        } else if let schema = try? container.decode([String: JSONValue].self) {
            self = .schema(.object(schema))
        } else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "format must be \"json\" or a JSON schema object")
            )
        }
    }

    var constraint: OutputConstraint? {
        switch self {
        case .none: nil
        case .json: .jsonObject
        case .schema(let schema): .jsonSchema(schema.jsonText)
        }
    }
}

struct OllamaChatRequest: Decodable, Sendable {
    struct Message: Decodable, Sendable {
        var role: String
        var content: String?
    }
    var model: String
    var messages: [Message]?
    var stream: Bool?
    var format: OllamaFormat?
    var options: OllamaOptions?
    var keepAlive: KeepAlive?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, format, options
        case keepAlive = "keep_alive"
    }
}

struct OllamaGenerateRequest: Decodable, Sendable {
    var model: String
    var prompt: String?
    var suffix: String?
    var system: String?
    var raw: Bool?
    var stream: Bool?
    var format: OllamaFormat?
    var options: OllamaOptions?
    var keepAlive: KeepAlive?

    enum CodingKeys: String, CodingKey {
        case model, prompt, suffix, system, raw, stream, format, options
        case keepAlive = "keep_alive"
    }
}

struct OllamaEmbedRequest: Decodable, Sendable {
    var model: String
    var input: StringOrList
    var truncate: Bool?
    var keepAlive: KeepAlive?

    enum CodingKeys: String, CodingKey {
        case model, input, truncate
        case keepAlive = "keep_alive"
    }
}

/// The body of `/api/embeddings`, Ollama's older embedding route: one text in `prompt`.
struct OllamaLegacyEmbeddingRequest: Decodable, Sendable {
    var model: String
    var prompt: String?
    var keepAlive: KeepAlive?

    enum CodingKeys: String, CodingKey {
        case model, prompt
        case keepAlive = "keep_alive"
    }
}

struct OllamaModelRequest: Decodable, Sendable {
    var model: String?
    var name: String?

    var resolvedName: String? { model ?? name }
}

/// The body of `/api/pull`: the name in `model` (or `name`, from older clients).
struct OllamaPullRequest: Decodable, Sendable {
    var model: String?
    var name: String?
    /// Ollama's flag for registries without TLS; accepted and ignored (the Hub is always HTTPS, or HF_ENDPOINT).
    var insecure: Bool?
    var stream: Bool?

    var resolvedName: String? { model ?? name }
}
