import BotticelliCore
import Foundation

/// The `details` object Ollama attaches to a model.
struct OllamaModelDetails: Encodable, Sendable {
    var parentModel = ""
    var format = "gguf"
    var family: String
    var families: [String]
    var parameterSize: String
    var quantizationLevel: String

    enum CodingKeys: String, CodingKey {
        case format, family, families
        case parentModel = "parent_model"
        case parameterSize = "parameter_size"
        case quantizationLevel = "quantization_level"
    }

    init(_ listing: ModelListing) {
        family = listing.family
        families = [listing.family]
        parameterSize = listing.parameterSize
        quantizationLevel = listing.quantization
    }
}

struct OllamaModelEntry: Encodable, Sendable {
    var name: String
    var model: String
    var modifiedAt: String
    var size: Int64
    var digest: String
    var details: OllamaModelDetails
    var expiresAt: String?
    var sizeVram: Int64?

    enum CodingKeys: String, CodingKey {
        case name, model, size, digest, details
        case modifiedAt = "modified_at"
        case expiresAt = "expires_at"
        case sizeVram = "size_vram"
    }

    init(_ listing: ModelListing, expiresAt: String? = nil, sizeVram: Int64? = nil) {
        name = OllamaNames.tagged(listing.id)
        model = name
        modifiedAt = OllamaTime.format(listing.modified)
        size = listing.sizeBytes
        digest = OllamaNames.digest(listing.id)
        details = OllamaModelDetails(listing)
        self.expiresAt = expiresAt
        self.sizeVram = sizeVram
    }
}

/// One line of an Ollama chat or generate stream. `message` for chat, `response` for generate.
struct OllamaGenerationChunk: Encodable, Sendable {
    struct Message: Encodable, Sendable {
        var role = "assistant"
        var content: String
    }
    var model: String
    var createdAt: String
    var message: Message?
    var response: String?
    var done: Bool
    var doneReason: String?
    var totalDuration: Int64?
    var loadDuration: Int64?
    var promptEvalCount: Int?
    var promptEvalDuration: Int64?
    var evalCount: Int?
    var evalDuration: Int64?

    enum CodingKeys: String, CodingKey {
        case model, message, response, done
        case createdAt = "created_at"
        case doneReason = "done_reason"
        case totalDuration = "total_duration"
        case loadDuration = "load_duration"
        case promptEvalCount = "prompt_eval_count"
        case promptEvalDuration = "prompt_eval_duration"
        case evalCount = "eval_count"
        case evalDuration = "eval_duration"
    }

    mutating func finish(with summary: GenerationSummary, started: ContinuousClock.Instant) {
        done = true
        doneReason = summary.finishReason == .cancelled ? "stop" : summary.finishReason.rawValue
        let total = ContinuousClock.now - started
        totalDuration = Int64(total.components.seconds) * 1_000_000_000 + total.components.attoseconds / 1_000_000_000
        loadDuration = 0
        promptEvalCount = summary.promptTokens
        promptEvalDuration = Int64(summary.promptSeconds * 1e9)
        evalCount = summary.completionTokens
        evalDuration = Int64(summary.generationSeconds * 1e9)
    }
}

enum OllamaTime {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

enum OllamaNames {
    /// Ollama names carry a tag; ours have none, so they are shown as `:latest`.
    static func tagged(_ id: String) -> String {
        id.contains(":") ? id : id + ":latest"
    }

    /// A stable digest-like identifier (Ollama clients show it; they do not verify it).
    static func digest(_ id: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(repeating: String(format: "%016llx", hash), count: 4)
    }
}
