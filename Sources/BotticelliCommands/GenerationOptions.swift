import ArgumentParser
import BotticelliCore
import BotticelliEngine
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

    // Flags that may take a negative number read the next argument as their value whatever it looks like.
    @Option(
        name: .customLong("repeat-last-n"), parsing: .unconditional,
        help: "Recent tokens the penalties look at, the prompt's included (0: none, -1: the whole context).")
    var repeatLastN: Int = 64

    @Option(
        name: .customLong("presence-penalty"), parsing: .unconditional,
        help: "Subtracted once from tokens already seen (0: none).")
    var presencePenalty: Float = 0

    @Option(
        name: .customLong("frequency-penalty"), parsing: .unconditional,
        help: "Subtracted per time a token was seen (0: none).")
    var frequencyPenalty: Float = 0

    @Option(name: .customLong("typical"), help: "Locally typical sampling with parameter p (1: off).")
    var typicalP: Float = 1

    @Option(
        name: .customLong("dynatemp-range"), parsing: .unconditional,
        help: "Dynamic temperature: within temperature ± this range, by the candidates' entropy (0: off).")
    var dynamicTemperatureRange: Float = 0

    @Option(name: .customLong("dynatemp-exp"), parsing: .unconditional, help: "Dynamic temperature's exponent.")
    var dynamicTemperatureExponent: Float = 1

    @Option(name: .customLong("xtc-probability"), help: "XTC: the chance to remove the top tokens (0: off).")
    var xtcProbability: Float = 0

    @Option(name: .customLong("xtc-threshold"), help: "XTC: the probability a top token must reach to be removed.")
    var xtcThreshold: Float = 0.1

    @Option(
        name: .customLong("top-nsigma"), parsing: .unconditional,
        help: "Keep tokens within n standard deviations of the top logit (0 or less: off).")
    var topNSigma: Float = -1

    @Option(name: .customLong("dry-multiplier"), help: "DRY repetition penalty multiplier (0: off).")
    var dryMultiplier: Float = 0

    @Option(name: .customLong("dry-base"), help: "DRY's base (1 or more).")
    var dryBase: Float = 1.75

    @Option(name: .customLong("dry-allowed-length"), help: "Repetitions up to this length go unpenalised by DRY.")
    var dryAllowedLength: Int = 2

    @Option(
        name: .customLong("dry-penalty-last-n"), parsing: .unconditional,
        help: "Recent tokens DRY looks at (0: none, -1: the whole context).")
    var dryPenaltyLastN: Int = 64

    @Option(
        name: .customLong("dry-sequence-breaker"),
        help:
            "A string that DRY's repetitions do not cross; repeat for several, or 'none' (default: newline, :, \", *).")
    var drySequenceBreakers: [String] = []

    @Option(name: .customLong("mirostat"), help: "Mirostat 1 or 2 in place of the other samplers (0: off).")
    var mirostat: Int = 0

    @Option(name: .customLong("mirostat-lr"), help: "Mirostat's learning rate, eta.")
    var mirostatEta: Float = 0.1

    @Option(name: .customLong("mirostat-ent"), help: "Mirostat's target entropy, tau.")
    var mirostatTau: Float = 5

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
        guard repeatPenalty > 0, (1 / repeatPenalty).isFinite else {
            throw ValidationError("--repeat-penalty must be above 0, got \(repeatPenalty)")
        }
        for (flag, value) in [("--repeat-last-n", repeatLastN), ("--dry-penalty-last-n", dryPenaltyLastN)]
        where value < -1 {
            throw ValidationError("\(flag) must be -1 (the whole context), 0 or more, got \(value)")
        }
        for (flag, value) in [
            ("--presence-penalty", presencePenalty), ("--frequency-penalty", frequencyPenalty), ("--typical", typicalP),
            ("--dynatemp-range", dynamicTemperatureRange), ("--dynatemp-exp", dynamicTemperatureExponent),
            ("--top-nsigma", topNSigma), ("--mirostat-lr", mirostatEta), ("--mirostat-ent", mirostatTau),
        ] where !value.isFinite {
            throw ValidationError("\(flag) must be a finite number, got \(value)")
        }
        for (flag, value) in [("--xtc-probability", xtcProbability), ("--xtc-threshold", xtcThreshold)]
        where !(0...1).contains(value) {
            throw ValidationError("\(flag) must be between 0 and 1, got \(value)")
        }
        guard dryMultiplier >= 0 else {
            throw ValidationError("--dry-multiplier must be 0 or more, got \(dryMultiplier)")
        }
        guard dryBase >= 1 else { throw ValidationError("--dry-base must be 1 or more, got \(dryBase)") }
        guard dryAllowedLength >= 0 else {
            throw ValidationError("--dry-allowed-length must be 0 or more, got \(dryAllowedLength)")
        }
        guard (0...2).contains(mirostat) else { throw ValidationError("--mirostat must be 0, 1 or 2, got \(mirostat)") }
    }

    /// The settings for the serving engine (the interactive chat); `samplerOptions` gives them to a sampler.
    var samplingParameters: SamplingParameters {
        var parameters = SamplingParameters()
        parameters.temperature = Double(temperature)
        parameters.topK = Int(topK)
        parameters.topP = Double(topP)
        parameters.minP = Double(minP)
        parameters.repeatPenalty = Double(repeatPenalty)
        parameters.penaltyWindow = repeatLastN
        parameters.presencePenalty = Double(presencePenalty)
        parameters.frequencyPenalty = Double(frequencyPenalty)
        parameters.typicalP = Double(typicalP)
        parameters.dynamicTemperatureRange = Double(dynamicTemperatureRange)
        parameters.dynamicTemperatureExponent = Double(dynamicTemperatureExponent)
        parameters.xtcProbability = Double(xtcProbability)
        parameters.xtcThreshold = Double(xtcThreshold)
        parameters.topNSigma = Double(topNSigma)
        parameters.dryMultiplier = Double(dryMultiplier)
        parameters.dryBase = Double(dryBase)
        parameters.dryAllowedLength = dryAllowedLength
        parameters.dryWindow = dryPenaltyLastN
        if drySequenceBreakers == ["none"] {
            parameters.drySequenceBreakers = []
        } else if !drySequenceBreakers.isEmpty {
            parameters.drySequenceBreakers = drySequenceBreakers
        }
        parameters.mirostat = mirostat
        parameters.mirostatTau = Double(mirostatTau)
        parameters.mirostatEta = Double(mirostatEta)
        parameters.seed = seed
        return parameters
    }

    /// The settings for a sampler over a context whose sequences hold `sequenceContextSize` tokens.
    func samplerOptions(sequenceContextSize: Int) -> LlamaSampler.Options {
        LlamaSampler.Options(samplingParameters, sequenceContextSize: sequenceContextSize)
    }
}
