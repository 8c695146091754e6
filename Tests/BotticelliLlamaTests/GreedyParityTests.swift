import BotticelliLlama
import BotticelliTestSupport
import Foundation
import Testing

/// Our generation against llama.cpp's own example built from the same source, on the same model.
@Suite("Generation matches llama.cpp")
struct GreedyParityTests {
    static let prompt = "The capital of France is"

    /// Greedy continuation of `prompt` with our wrapper, on `model` (the shared fixture when nil).
    static func ourContinuation(
        prompt: String, maxTokens: Int, sampling: LlamaSampler.Options = .greedy, model: LlamaModel? = nil
    ) throws -> String {
        let model = try model ?? SharedModel.smolLM2()
        let context = try LlamaContext(model: model, options: .init(contextSize: 512, threads: 2))
        var text = ""
        _ = try LlamaCompletion(context: context).generate(
            prompt: prompt, maxTokens: maxTokens, sampling: sampling
        ) { text += $0 }
        return text
    }

    @Test("greedy output equals llama-simple's, token for token")
    func matchesLlamaSimple() throws {
        let model = try Fixtures.smolLM2()
        let reference = try ProcessRunner.run(
            try Fixtures.llamaTool("llama-simple"), ["-m", model, "-n", "32", Self.prompt])
        #expect(reference.status == 0, "llama-simple failed: \(reference.standardError)")
        // llama-simple echoes the prompt (after any BOS text), then the continuation, then a newline.
        let echoed = try #require(reference.standardOutput.range(of: Self.prompt), "\(reference.standardOutput)")
        var expected = String(reference.standardOutput[echoed.upperBound...])
        if expected.hasSuffix("\n") { expected.removeLast() }

        let ours = try Self.ourContinuation(prompt: Self.prompt, maxTokens: 32)
        #expect(ours == expected)
        #expect(ours.hasPrefix(" Paris"))
    }

    @Test("greedy output is the same on every run")
    func deterministic() throws {
        let first = try Self.ourContinuation(prompt: "Once upon a time", maxTokens: 24)
        let second = try Self.ourContinuation(prompt: "Once upon a time", maxTokens: 24)
        #expect(!first.isEmpty)
        #expect(first == second)
    }

    @Test("the same seed gives the same text at temperature 0.8; other seeds differ")
    func seeded() throws {
        func sample(seed: UInt32) throws -> String {
            var options = LlamaSampler.Options()
            options.temperature = 0.8
            options.seed = seed
            return try Self.ourContinuation(prompt: "My favourite food is", maxTokens: 24, sampling: options)
        }
        let first = try sample(seed: 42)
        #expect(try sample(seed: 42) == first)
        let others = try [7, 1234, 99_999].map { try sample(seed: UInt32($0)) }
        #expect(others.contains { $0 != first }, "three other seeds all produced \(first)")
    }
}
