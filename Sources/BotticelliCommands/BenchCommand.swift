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

    @Option(help: "Repetitions per width; the median is reported.")
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
            var samples: [Double] = []
            for repetition in 0..<repetitions {
                samples.append(try await measure(engine: engine, width: width, salt: repetition))
            }
            engine.shutdown()
            let median = Self.median(samples)
            results.append(["width": Double(width), "generated_tokens_per_second": median])
            if !json {
                print(String(format: "B=%-3d  S_TG %8.2f tokens/s", width, median))
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: ["results": results], options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Aggregate generated tokens per second after the prompts: the tokens that followed each sequence's first, over
    /// the longest time a sequence took from the end of its prompt to its last token. Both come from the engine's
    /// own summary, timed on the thread that decodes, so when a consumer task gets to run does not enter into it.
    /// Sequences submitted together advance in lockstep, so this is llama-batched-bench's S_TG; were some prompts
    /// to start a step later, the longest time would count against the engine, never for it.
    private func measure(engine: LlamaServingEngine, width: Int, salt: Int) async throws -> Double {
        // Distinct prompts of the requested length, so no prefix is shared (as in llama-batched-bench).
        var requests: [GenerationRequest] = []
        for index in 0..<width {
            let words = (0..<promptTokens).map { "w\(($0 * 7 + index * 13 + salt * 31) % 997)" }
            let tokens = try await engine.tokenize(words.joined(separator: " "), addSpecial: true)
            let prompt = try await engine.detokenize(Array(tokens.prefix(promptTokens)))
            var request = GenerationRequest(input: .text(prompt), maxTokens: generate, sampling: .greedy)
            request.ignoreEndOfGeneration = true
            requests.append(request)
        }
        let streams = try engine.generate(requests)
        let summaries = try await withThrowingTaskGroup(of: GenerationSummary?.self) { group in
            for stream in streams {
                group.addTask {
                    var summary: GenerationSummary?
                    for try await event in stream {
                        if case .finished(let final) = event { summary = final }
                    }
                    return summary
                }
            }
            return try await group.reduce(into: [GenerationSummary]()) { if let summary = $1 { $0.append(summary) } }
        }
        guard summaries.count == width else {
            throw ValidationError("\(width - summaries.count) of \(width) generations ended without a summary")
        }
        let tokens = summaries.reduce(0) { $0 + max(0, $1.completionTokens - 1) }
        let seconds = summaries.map(\.generationSeconds).max() ?? 0
        return seconds > 0 ? Double(tokens) / seconds : 0
    }
}
