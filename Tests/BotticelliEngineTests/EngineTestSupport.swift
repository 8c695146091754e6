import BotticelliCore
import BotticelliEngine
import BotticelliTestSupport
import Foundation
import Logging

/// Engines over the fixture model, and helpers to run generations to the end.
enum EngineFixture {
    static func engine(
        parallel: Int = 4, contextSize: Int = 4096, queueCapacity: Int = 64
    ) throws -> LlamaServingEngine {
        var configuration = EngineConfiguration()
        configuration.parallelSequences = parallel
        configuration.contextSize = contextSize
        configuration.queueCapacity = queueCapacity
        configuration.threads = 2
        return try LlamaServingEngine(
            id: "smollm2", path: try Fixtures.smolLM2(), configuration: configuration,
            logger: Logger(label: "test"))
    }
}

/// The whole result of one generation.
struct Completed: Sendable {
    var text = ""
    var tokens: [Int32] = []
    var logprobs: [TokenLogprob] = []
    var summary: GenerationSummary?
}

extension InferenceEngine {
    func complete(_ request: GenerationRequest) async throws -> Completed {
        var result = Completed()
        for try await event in try generate(request) {
            switch event {
            case .text(let text, let tokens, let logprobs):
                result.text += text
                result.tokens += tokens
                result.logprobs += logprobs
            case .finished(let summary):
                result.summary = summary
            }
        }
        return result
    }

    func complete(_ prompt: String, maxTokens: Int = 32, stop: [String] = []) async throws -> Completed {
        try await complete(
            GenerationRequest(input: .text(prompt), maxTokens: maxTokens, sampling: .greedy, stop: stop))
    }
}
