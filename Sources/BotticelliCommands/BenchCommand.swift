import ArgumentParser
import BotticelliCore
import BotticelliEngine
import Foundation
import Logging

/// `bench`: generation speed of the engine, in the shape of llama.cpp's llama-batched-bench, so the two can be
/// compared side by side (scripts/bench-engine does that).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's generation speed with 1 or more parallel sequences.",
        discussion: """
            For each width B, runs B requests at once, each with a prompt of --prompt-tokens tokens and exactly
            --generate generated tokens (end-of-generation is ignored), and reports the aggregate generated tokens
            per second once all prompts are processed (llama-batched-bench's S_TG).
            """
    )

    @Option(name: .customLong("model"), help: "A path to a .gguf file.")
    var model: String

    @Option(help: "Comma-separated numbers of parallel sequences.")
    var widths: String = "1,4,8,16"

    @Option(name: .customLong("prompt-tokens"), help: "Prompt length per sequence, in tokens.")
    var promptTokens: Int = 128

    @Option(name: .customLong("generate"), help: "Tokens generated per sequence.")
    var generate: Int = 128

    @Option(help: "Repetitions per width; the best is reported.")
    var repetitions: Int = 3

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @OptionGroup var hardware: HardwareOptions

    func validate() throws {
        guard parsedWidths.count > 0, parsedWidths.allSatisfy({ $0 >= 1 && $0 <= 64 }) else {
            throw ValidationError("--widths must be a comma-separated list of numbers from 1 to 64, got \(widths)")
        }
        guard promptTokens >= 1, generate >= 2, repetitions >= 1 else {
            throw ValidationError("--prompt-tokens must be at least 1, --generate at least 2, --repetitions at least 1")
        }
    }

    var parsedWidths: [Int] {
        widths.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    func run() async throws {
        var results: [[String: Double]] = []
        for width in parsedWidths {
            var configuration = EngineConfiguration()
            configuration.parallelSequences = width
            configuration.contextSize = max(hardware.effectiveContextSize, width * (promptTokens + generate + 8))
            configuration.threads = hardware.threads
            configuration.model = hardware.modelOptions
            configuration.queueCapacity = width
            let engine = try LlamaServingEngine(
                id: "bench", path: model, configuration: configuration, logger: Logger(label: "bench"))
            var best = 0.0
            for repetition in 0..<repetitions {
                best = max(best, try await measure(engine: engine, width: width, salt: repetition))
            }
            engine.shutdown()
            results.append(["width": Double(width), "generated_tokens_per_second": best])
            if !json {
                print(String(format: "B=%-3d  S_TG %8.2f tokens/s", width, best))
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: ["results": results], options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// Aggregate generated tokens per second from the moment every sequence has its first token.
    private func measure(engine: LlamaServingEngine, width: Int, salt: Int) async throws -> Double {
        let clock = ContinuousClock()
        let firstTokens = FirstTokenGate(expected: width)
        let finished: [ContinuousClock.Instant] = try await withThrowingTaskGroup(of: ContinuousClock.Instant.self) {
            group in
            for index in 0..<width {
                // Distinct prompts of the requested length, so no prefix is shared (as in llama-batched-bench).
                let words = (0..<promptTokens).map { "w\(($0 * 7 + index * 13 + salt * 31) % 997)" }
                let tokens = try await engine.tokenize(words.joined(separator: " "), addSpecial: true)
                let prompt = try await engine.detokenize(Array(tokens.prefix(promptTokens)))
                var request = GenerationRequest(input: .text(prompt), maxTokens: generate, sampling: .greedy)
                request.ignoreEndOfGeneration = true
                let stream = try engine.generate(request)
                group.addTask {
                    var first = true
                    for try await event in stream {
                        if first, case .text = event {
                            first = false
                            await firstTokens.arrive(at: clock.now)
                        }
                    }
                    return clock.now
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let start = await firstTokens.lastArrival
        let end = finished.max() ?? clock.now
        let seconds = Double((end - start).components.attoseconds) / 1e18 + Double((end - start).components.seconds)
        return seconds > 0 ? Double(width * (generate - 1)) / seconds : 0
    }
}

/// Records when the last of several sequences produced its first token.
actor FirstTokenGate {
    let expected: Int
    private var arrived = 0
    private(set) var lastArrival = ContinuousClock.now

    init(expected: Int) {
        self.expected = expected
    }

    func arrive(at instant: ContinuousClock.Instant) {
        arrived += 1
        lastArrival = max(lastArrival, instant)
    }
}
