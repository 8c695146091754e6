import BotticelliCore

/// `POST /v1/chat/completions`, as OpenAI documents it, plus llama-server's sampling extras.
struct ChatCompletionRequest: Decodable, Sendable {
    struct Message: Decodable, Sendable {
        var role: String
        var content: MessageContent?
    }

    struct StreamOptions: Decodable, Sendable {
        var includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    struct ResponseFormat: Decodable, Sendable {
        struct Schema: Decodable, Sendable {
            var name: String?
            var schema: JSONValue?
            var strict: Bool?
        }
        var type: String
        var jsonSchema: Schema?
        enum CodingKeys: String, CodingKey {
            case type
            case jsonSchema = "json_schema"
        }
    }

    var model: String?
    var messages: [Message]
    var stream: Bool?
    var streamOptions: StreamOptions?
    var sampling: SamplingFields
    var extras: SamplerExtras
    var responseFormat: ResponseFormat?
    var logprobs: Bool?
    var topLogprobs: Int?
    var user: String?
    var n: Int?
    var tools: [JSONValue]?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, logprobs, user, n, tools
        case streamOptions = "stream_options"
        case responseFormat = "response_format"
        case topLogprobs = "top_logprobs"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        messages = try container.decode([Message].self, forKey: .messages)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        responseFormat = try container.decodeIfPresent(ResponseFormat.self, forKey: .responseFormat)
        logprobs = try container.decodeIfPresent(Bool.self, forKey: .logprobs)
        topLogprobs = try container.decodeIfPresent(Int.self, forKey: .topLogprobs)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        n = try container.decodeIfPresent(Int.self, forKey: .n)
        tools = try container.decodeIfPresent([JSONValue].self, forKey: .tools)
        sampling = try SamplingFields(from: decoder)
        extras = try SamplerExtras(from: decoder)
    }

    /// Checks the fields that decoding cannot, and builds the engine request.
    func generationRequest() throws -> GenerationRequest {
        if let n, n != 1 {
            throw APIError.badField("n", "n = \(n) is not supported yet; send n = 1 (or leave it out)")
        }
        let chat = try chatMessages()
        var topLogprobCount: Int?
        if logprobs == true {
            let count = topLogprobs ?? 0
            guard (0...20).contains(count) else {
                throw APIError.badField("top_logprobs", "top_logprobs must be between 0 and 20, got \(count)")
            }
            topLogprobCount = count
        } else if topLogprobs != nil {
            throw APIError.badField("top_logprobs", "top_logprobs needs logprobs: true")
        }
        var parameters = try sampling.parameters()
        try extras.apply(to: &parameters)
        var request = GenerationRequest(
            input: .chat(chat),
            maxTokens: try sampling.resolvedMaxTokens(),
            sampling: parameters,
            stop: sampling.stop?.values ?? [],
            constraint: try constraint(),
            topLogprobs: topLogprobCount)
        request.ignoreEndOfGeneration = sampling.ignoreEos ?? false
        return request
    }

    /// The conversation of a request checked whole, as for a completion, so that `/apply-template` refuses what a
    /// completion would refuse (llama-server's route reads its body as a chat completion, too).
    func checkedMessages() throws -> [ChatMessage] {
        _ = try generationRequest()
        return try chatMessages()
    }

    /// The messages the chat template renders, checked. A developer message is a system message, as OpenAI defines
    /// it.
    private func chatMessages() throws -> [ChatMessage] {
        if let tools, !tools.isEmpty {
            throw APIError.badField("tools", "tool calling is not supported yet; send the request without tools")
        }
        guard !messages.isEmpty else {
            throw APIError.badField("messages", "messages is empty; send at least one message")
        }
        for (index, message) in messages.enumerated()
        where !["system", "user", "assistant", "developer"].contains(message.role) {
            throw APIError.badField(
                "messages[\(index)].role", "role '\(message.role)' is not supported; use system, user or assistant")
        }
        return messages.map {
            ChatMessage(role: $0.role == "developer" ? "system" : $0.role, content: $0.content?.text ?? "")
        }
    }

    private func constraint() throws -> OutputConstraint? {
        if let grammar = sampling.grammar {
            guard responseFormat == nil || responseFormat?.type == "text" else {
                throw APIError.badField("grammar", "give either grammar or response_format, not both")
            }
            return .grammar(grammar)
        }
        guard let responseFormat else { return nil }
        switch responseFormat.type {
        case "text":
            return nil
        case "json_object":
            return .jsonObject
        case "json_schema":
            guard let schema = responseFormat.jsonSchema?.schema, case .object = schema else {
                throw APIError.badField(
                    "response_format.json_schema.schema", "json_schema needs a 'schema' object")
            }
            return .jsonSchema(schema.jsonText)
        default:
            throw APIError.badField(
                "response_format.type",
                "response_format type '\(responseFormat.type)' is not supported; use text, json_object or json_schema")
        }
    }
}
