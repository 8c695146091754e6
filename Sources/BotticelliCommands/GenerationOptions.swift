import ArgumentParser
import BotticelliCore
import BotticelliLlama

/// Sampling flags shared by the commands that generate text.
struct GenerationOptions: ParsableArguments {
    @Option(
        name: [.customLong("max-tokens"), .customShort("n")],
        help: "The most tokens to generate (default: 128 for --prompt, a whole reply in a chat).")
    var maxTokens: Int?

    @Option(help: "Sampling temperature; 0 always takes the most likely token (greedy).")
    var temperature: Float = 0.8

    @Option(name: .customLong("top-k"), help: "Sample only from the k most likely tokens (0: all).")
    var topK: Int32 = 40

    @Option(name: .customLong("top-p"), help: "Sample only from the most likely tokens whose probabilities add to p.")
    var topP: Float = 0.95

    @Option(name: .customLong("min-p"), help: "Drop tokens less likely than min-p times the most likely one.")
    var minP: Float = 0.05

    @Option(name: .customLong("repeat-penalty"), help: "Penalty for repeating recent tokens (1: none).")
    var repeatPenalty: Float = 1.0

    @Option(help: "Random seed; the same seed and settings give the same text.")
    var seed: UInt32?

    func validate() throws {
        if let maxTokens, maxTokens < 0 {
            throw ValidationError("--max-tokens must be 0 or more, got \(maxTokens)")
        }
        guard temperature.isFinite, temperature >= 0 else {
            throw ValidationError("--temperature must be 0 or more, got \(temperature)")
        }
        guard topP > 0, topP <= 1 else { throw ValidationError("--top-p must be in (0, 1], got \(topP)") }
        guard minP >= 0, minP <= 1 else { throw ValidationError("--min-p must be in [0, 1], got \(minP)") }
        guard topK >= 0 else { throw ValidationError("--top-k must be 0 or more, got \(topK)") }
        guard repeatPenalty > 0 else { throw ValidationError("--repeat-penalty must be above 0, got \(repeatPenalty)") }
    }

    /// The same settings for the serving engine (the interactive chat).
    var samplingParameters: SamplingParameters {
        var parameters = SamplingParameters()
        parameters.temperature = Double(temperature)
        parameters.topK = Int(topK)
        parameters.topP = Double(topP)
        parameters.minP = Double(minP)
        parameters.repeatPenalty = Double(repeatPenalty)
        parameters.seed = seed
        return parameters
    }

    var samplerOptions: LlamaSampler.Options {
        var options = LlamaSampler.Options()
        options.temperature = temperature
        options.topK = topK
        options.topP = topP
        options.minP = minP
        options.repeatPenalty = repeatPenalty
        options.seed = seed ?? UInt32.random(in: 0..<UInt32.max)
        return options
    }
}
