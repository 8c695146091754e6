import BotticelliCore
import Foundation

/// An engine that answers instantly with scripted text, so the routes can be tested fast and exhaustively.
final class StandInEngine: InferenceEngine, @unchecked Sendable {
    // @unchecked: `lastRequest` is guarded by `lock`; the rest is immutable.
    let model = ServedModel(
        id: "stand-in", path: "/models/stand-in.gguf", sizeBytes: 1234, contextLength: 2048, embeddingLength: 4,
        architecture: "llama", quantization: "Q4_1", parameterCount: 135_000_000, chatTemplate: "{{ messages }}")
    let reply: [String]
    var failure: InferenceError?
    private let lock = NSLock()
    private var recorded: [GenerationRequest] = []

    init(reply: [String] = ["Hello", ",", " world", "!"]) {
        self.reply = reply
    }

    var requests: [GenerationRequest] {
        lock.withLock { recorded }
    }

    func generate(_ request: GenerationRequest) throws -> AsyncThrowingStream<GenerationEvent, any Error> {
        if let failure { throw failure }
        lock.withLock { recorded.append(request) }
        let limit = min(request.maxTokens ?? reply.count, reply.count)
        let pieces = Array(reply.prefix(limit))
        return AsyncThrowingStream { continuation in
            for (index, piece) in pieces.enumerated() {
                let logprobs =
                    request.topLogprobs.map { count in
                        [
                            TokenLogprob(
                                token: Int32(index), text: piece, logprob: -0.5,
                                alternatives: (0..<count).map {
                                    .init(token: Int32($0), text: "t\($0)", logprob: -Double($0) - 0.5)
                                })
                        ]
                    } ?? []
                continuation.yield(.text(piece, tokens: [Int32(index)], logprobs: logprobs))
            }
            continuation.yield(
                .finished(
                    GenerationSummary(
                        finishReason: pieces.count < reply.count ? .length : .stop, promptTokens: 7,
                        cachedPromptTokens: 2, completionTokens: pieces.count, promptSeconds: 0.01,
                        generationSeconds: 0.02)))
            continuation.finish()
        }
    }

    func embed(_ inputs: [String]) async throws -> (vectors: [[Float]], promptTokens: Int) {
        (inputs.map { _ in [0.5, 0.5, 0.5, 0.5] }, inputs.count * 3)
    }

    func tokenize(_ text: String, addSpecial: Bool) async throws -> [Int32] {
        text.unicodeScalars.map { Int32($0.value) }
    }

    func detokenize(_ tokens: [Int32]) async throws -> String {
        String(String.UnicodeScalarView(tokens.compactMap { Unicode.Scalar(UInt32($0)) }))
    }

    func renderChat(_ messages: [ChatMessage], addGenerationPrompt: Bool) async throws -> String {
        messages.map { "\($0.role): \($0.content)" }.joined(separator: "\n")
    }

    func status() async -> EngineStatus {
        EngineStatus(
            parallelSequences: 4, busySequences: 0, queuedRequests: 0, queueCapacity: 64, contextSize: 2048,
            sequenceContextSize: 512)
    }
}
