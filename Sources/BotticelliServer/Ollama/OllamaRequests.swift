import BotticelliCore

/// Ollama's `options` object: the sampling settings a request may carry.
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
    var repeatLastN: Int?
    var presencePenalty: Double?
    var frequencyPenalty: Double?
    var typicalP: Double?
    var mirostat: Int?
    var mirostatTau: Double?
    var mirostatEta: Double?

    enum CodingKeys: String, CodingKey {
        case temperature, seed, stop, mirostat
        case typicalP = "typical_p"
        case mirostatTau = "mirostat_tau"
        case mirostatEta = "mirostat_eta"
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case numPredict = "num_predict"
        case numCtx = "num_ctx"
        case repeatPenalty = "repeat_penalty"
        case repeatLastN = "repeat_last_n"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
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
        if let repeatLastN {
            guard repeatLastN >= -1 else {
                throw APIError.badField("options.repeat_last_n", "repeat_last_n must be -1 or more")
            }
            parameters.penaltyWindow = repeatLastN == -1 ? contextSize : repeatLastN
        }
        for (name, value) in [("typical_p", typicalP), ("mirostat_tau", mirostatTau), ("mirostat_eta", mirostatEta)] {
            if let value, !Float(value).isFinite {
                throw APIError.badField("options.\(name)", "\(name) must be a finite number, got \(value)")
            }
        }
        if let typicalP { parameters.typicalP = typicalP }
        if let mirostat {
            guard (0...2).contains(mirostat) else {
                throw APIError.badField("options.mirostat", "mirostat must be 0 (off), 1 or 2, got \(mirostat)")
            }
            parameters.mirostat = mirostat
        }
        if let mirostatTau { parameters.mirostatTau = mirostatTau }
        if let mirostatEta { parameters.mirostatEta = mirostatEta }
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
