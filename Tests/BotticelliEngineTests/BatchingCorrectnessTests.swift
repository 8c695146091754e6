import BotticelliCore
import BotticelliEngine
import Foundation
import Testing

/// Continuous batching must not change what a greedy generation produces.
@Suite("Batching gives the same tokens as running alone", .serialized)
struct BatchingCorrectnessTests {
    static let prompts = [
        "The capital of France is",
        "Once upon a time, in a small village,",
        "The three primary colors are",
        "def fibonacci(n):",
        "Water boils at a temperature of",
        "The largest planet in our solar system is",
        "To make a cup of tea, you first",
        "In 1969, the first humans",
    ]

    @Test("8 prompts at once equal each prompt alone")
    func concurrentEqualsAlone() async throws {
        let engine = try EngineFixture.engine(parallel: 8)
        var alone: [String: [Int32]] = [:]
        for prompt in Self.prompts {
            alone[prompt] = try await engine.complete(prompt, maxTokens: 48).tokens
        }
        let together = try await withThrowingTaskGroup(of: (String, [Int32]).self) { group in
            for prompt in Self.prompts {
                group.addTask { (prompt, try await engine.complete(prompt, maxTokens: 48).tokens) }
            }
            return try await group.reduce(into: [String: [Int32]]()) { $0[$1.0] = $1.1 }
        }
        for prompt in Self.prompts {
            #expect(together[prompt] == alone[prompt], "\(prompt)")
            #expect(alone[prompt]?.isEmpty == false)
        }
        // Submitted as one group, all 8 prompts go into the same decode step and advance in lockstep.
        let requests = Self.prompts.map {
            GenerationRequest(input: .text($0), maxTokens: 48, sampling: .greedy)
        }
        let streams = try engine.generate(requests)
        for (prompt, stream) in zip(Self.prompts, streams) {
            var tokens: [Int32] = []
            for try await event in stream {
                if case .text(_, let eventTokens, _) = event { tokens += eventTokens }
            }
            #expect(tokens == alone[prompt], "\(prompt), submitted as a group")
        }
    }

    @Test("prompts arriving while others are mid-generation")
    func staggeredArrivals() async throws {
        let engine = try EngineFixture.engine(parallel: 8)
        var alone: [String: [Int32]] = [:]
        for prompt in Self.prompts {
            alone[prompt] = try await engine.complete(prompt, maxTokens: 40).tokens
        }
        // Different engine state: fresh cache, so prefix reuse does not hide anything.
        let fresh = try EngineFixture.engine(parallel: 8)
        let together = try await withThrowingTaskGroup(of: (String, [Int32]).self) { group in
            for (index, prompt) in Self.prompts.enumerated() {
                group.addTask {
                    try await Task.sleep(for: .milliseconds(index * 40))
                    return (prompt, try await fresh.complete(prompt, maxTokens: 40).tokens)
                }
            }
            return try await group.reduce(into: [String: [Int32]]()) { $0[$1.0] = $1.1 }
        }
        for prompt in Self.prompts {
            #expect(together[prompt] == alone[prompt], "\(prompt)")
        }
    }
}
