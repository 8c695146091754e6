import BotticelliCore
import Foundation

/// Token counts as OpenAI reports them.
struct Usage: Encodable, Sendable {
    struct PromptDetails: Encodable, Sendable {
        var cachedTokens: Int
        enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    }

    var promptTokens: Int
    var completionTokens: Int
    var totalTokens: Int
    var promptTokensDetails: PromptDetails

    init(_ summary: GenerationSummary) {
        promptTokens = summary.promptTokens
        completionTokens = summary.completionTokens
        totalTokens = summary.promptTokens + summary.completionTokens
        promptTokensDetails = PromptDetails(cachedTokens: summary.cachedPromptTokens)
    }

    init(promptTokens: Int, completionTokens: Int, cachedTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = promptTokens + completionTokens
        self.promptTokensDetails = PromptDetails(cachedTokens: cachedTokens)
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case promptTokensDetails = "prompt_tokens_details"
    }
}

/// llama-server's `timings` object, so tools written for it keep working.
struct Timings: Encodable, Sendable {
    var promptN: Int
    var promptMs: Double
    var promptPerTokenMs: Double
    var promptPerSecond: Double
    var predictedN: Int
    var predictedMs: Double
    var predictedPerTokenMs: Double
    var predictedPerSecond: Double
    var cacheN: Int

    init(_ summary: GenerationSummary) {
        promptN = summary.promptTokens - summary.cachedPromptTokens
        promptMs = summary.promptSeconds * 1000
        promptPerSecond = summary.promptTokensPerSecond
        predictedN = summary.completionTokens
        predictedMs = summary.generationSeconds * 1000
        predictedPerSecond = summary.generatedTokensPerSecond
        cacheN = summary.cachedPromptTokens
        promptPerTokenMs = promptN > 0 ? promptMs / Double(promptN) : 0
        predictedPerTokenMs = predictedN > 0 ? predictedMs / Double(predictedN) : 0
    }

    enum CodingKeys: String, CodingKey {
        case promptN = "prompt_n"
        case promptMs = "prompt_ms"
        case promptPerTokenMs = "prompt_per_token_ms"
        case promptPerSecond = "prompt_per_second"
        case predictedN = "predicted_n"
        case predictedMs = "predicted_ms"
        case predictedPerTokenMs = "predicted_per_token_ms"
        case predictedPerSecond = "predicted_per_second"
        case cacheN = "cache_n"
    }
}

/// OpenAI's chat `logprobs` object.
struct ChatLogprobs: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        struct Alternative: Encodable, Sendable {
            var token: String
            var logprob: Double
            var bytes: [UInt8]
        }
        var token: String
        var logprob: Double
        var bytes: [UInt8]
        var topLogprobs: [Alternative]
        enum CodingKeys: String, CodingKey {
            case token, logprob, bytes
            case topLogprobs = "top_logprobs"
        }
    }

    var content: [Entry]

    init(_ logprobs: [TokenLogprob], top: Int) {
        content = logprobs.map { entry in
            Entry(
                token: entry.text, logprob: Self.finite(entry.logprob), bytes: Array(entry.text.utf8),
                topLogprobs: entry.alternatives.prefix(top).map {
                    Entry.Alternative(token: $0.text, logprob: Self.finite($0.logprob), bytes: Array($0.text.utf8))
                })
        }
    }

    /// JSON has no infinity; a banned token's log-probability is reported as a very large negative number.
    static func finite(_ value: Double) -> Double {
        value.isFinite ? value : -9999
    }
}

struct ChatCompletionResponse: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
        struct Message: Encodable, Sendable {
            var role = "assistant"
            var content: String
        }
        var index = 0
        var message: Message
        var logprobs: ChatLogprobs?
        var finishReason: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(message, forKey: .message)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }

        enum CodingKeys: String, CodingKey {
            case index, message, logprobs
            case finishReason = "finish_reason"
        }
    }

    var id: String
    var object = "chat.completion"
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: Usage
    var timings: Timings
    var systemFingerprint = "botticelli-\(Botticelli.version)"

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage, timings
        case systemFingerprint = "system_fingerprint"
    }
}

/// One server-sent event of a streamed chat completion.
struct ChatCompletionChunk: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
        struct Delta: Encodable, Sendable {
            var role: String?
            var content: String?
        }
        var index = 0
        var delta: Delta
        var logprobs: ChatLogprobs?
        var finishReason: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }

        enum CodingKeys: String, CodingKey {
            case index, delta, logprobs
            case finishReason = "finish_reason"
        }
    }

    var id: String
    var object = "chat.completion.chunk"
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: Usage?
    var timings: Timings?
    var systemFingerprint = "botticelli-\(Botticelli.version)"

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage, timings
        case systemFingerprint = "system_fingerprint"
    }
}

struct TextCompletionResponse: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
        var text: String
        var index: Int
        var logprobs: TextLogprobs?
        var finishReason: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(index, forKey: .index)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }

        enum CodingKeys: String, CodingKey {
            case text, index, logprobs
            case finishReason = "finish_reason"
        }
    }

    var id: String
    var object = "text_completion"
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: Usage?
    var systemFingerprint = "botticelli-\(Botticelli.version)"
    /// llama-server's timings: with one prompt's result, and on the last streamed event.
    var timings: Timings?

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage, timings
        case systemFingerprint = "system_fingerprint"
    }
}

/// The legacy completions `logprobs` object.
struct TextLogprobs: Encodable, Sendable {
    var tokens: [String]
    var tokenLogprobs: [Double]
    var topLogprobs: [[String: Double]]
    var textOffset: [Int]

    init(_ logprobs: [TokenLogprob], startOffset: Int) {
        tokens = logprobs.map(\.text)
        tokenLogprobs = logprobs.map { ChatLogprobs.finite($0.logprob) }
        topLogprobs = logprobs.map { entry in
            Dictionary(entry.alternatives.map { ($0.text, ChatLogprobs.finite($0.logprob)) }) { first, _ in first }
        }
        var offset = startOffset
        textOffset = logprobs.map { entry in
            defer { offset += entry.text.count }
            return offset
        }
    }

    enum CodingKeys: String, CodingKey {
        case tokens
        case tokenLogprobs = "token_logprobs"
        case topLogprobs = "top_logprobs"
        case textOffset = "text_offset"
    }
}
