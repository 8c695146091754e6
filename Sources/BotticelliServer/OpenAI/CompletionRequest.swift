import BotticelliCore

/// `POST /v1/completions`: plain-text continuation.
struct CompletionRequest: Decodable, Sendable {
    var model: String?
    var prompt: StringOrList
    var stream: Bool?
    var streamOptions: ChatCompletionRequest.StreamOptions?
    var sampling: SamplingFields
    var extras: SamplerExtras
    var logprobs: Int?
    var echo: Bool?
    var n: Int?
    var user: String?

    enum CodingKeys: String, CodingKey {
        case model, prompt, stream, logprobs, echo, n, user
        case streamOptions = "stream_options"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        prompt = try container.decode(StringOrList.self, forKey: .prompt)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        streamOptions = try container.decodeIfPresent(ChatCompletionRequest.StreamOptions.self, forKey: .streamOptions)
        logprobs = try container.decodeIfPresent(Int.self, forKey: .logprobs)
        echo = try container.decodeIfPresent(Bool.self, forKey: .echo)
        n = try container.decodeIfPresent(Int.self, forKey: .n)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        sampling = try SamplingFields(from: decoder)
        extras = try SamplerExtras(from: decoder)
    }

    func generationRequests() throws -> [GenerationRequest] {
        if let n, n != 1 {
            throw APIError.badField("n", "n = \(n) is not supported yet; send n = 1 (or leave it out)")
        }
        guard !prompt.values.isEmpty else {
            throw APIError.badField("prompt", "prompt is an empty list; send at least one prompt")
        }
        if let logprobs, !(0...20).contains(logprobs) {
            throw APIError.badField("logprobs", "logprobs must be between 0 and 20, got \(logprobs)")
        }
        let maxTokens = try sampling.resolvedMaxTokens() ?? 16
        var parameters = try sampling.parameters()
        try extras.apply(to: &parameters)
        return prompt.values.map {
            var request = GenerationRequest(
                input: .text($0), maxTokens: maxTokens, sampling: parameters, stop: sampling.stop?.values ?? [],
                constraint: sampling.grammar.map { .grammar($0) }, topLogprobs: logprobs)
            request.ignoreEndOfGeneration = sampling.ignoreEos ?? false
            return request
        }
    }
}

/// `POST /v1/embeddings`.
struct EmbeddingRequest: Decodable, Sendable {
    var model: String?
    var input: StringOrList
    var encodingFormat: String?
    var user: String?

    enum CodingKeys: String, CodingKey {
        case model, input, user
        case encodingFormat = "encoding_format"
    }

    /// The encoding format (float unless given), after checking it and that there is something to embed.
    func checkedFormat() throws -> String {
        let format = encodingFormat ?? "float"
        guard format == "float" || format == "base64" else {
            throw APIError.badField("encoding_format", "encoding_format must be float or base64, got '\(format)'")
        }
        guard !input.values.isEmpty else {
            throw APIError.badField("input", "input is an empty list; send at least one string")
        }
        return format
    }
}
