import CLlama
import Foundation

/// A llama.cpp sampler chain built from `SamplingOptions`. Owns the chain and frees it in `deinit`.
///
/// The order follows llama.cpp's common sampler: logit bias, grammar, penalties, DRY, top-n-sigma, top-k, typical,
/// top-p, min-p, XTC, temperature (dynamic when given a range), then a seeded draw; temperature 0 or less is greedy.
/// Mirostat takes the place of everything from the penalties on but the temperature.
public final class LlamaSampler {
    /// Sampling settings. The defaults match llama-server's.
    public struct Options: Sendable, Hashable {
        public var temperature: Float = 0.8
        public var topK: Int32 = 40
        public var topP: Float = 0.95
        public var minP: Float = 0.05
        public var repeatPenalty: Float = 1.0
        public var presencePenalty: Float = 0.0
        public var frequencyPenalty: Float = 0.0
        /// How many recent tokens the penalties look at.
        public var penaltyWindow: Int32 = 64
        public var seed: UInt32 = UInt32.max
        /// Added to the logit of each token before sampling (negative infinity bans a token).
        public var logitBias: [LlamaToken: Float] = [:]
        /// A GBNF grammar that the output must follow, with its root rule.
        public var grammar: String?
        public var grammarRoot: String = "root"
        public var typicalP: Float = 1
        public var dynamicTemperatureRange: Float = 0
        public var dynamicTemperatureExponent: Float = 1
        public var xtcProbability: Float = 0
        public var xtcThreshold: Float = 0.1
        public var topNSigma: Float = -1
        public var dryMultiplier: Float = 0
        public var dryBase: Float = 1.75
        public var dryAllowedLength: Int32 = 2
        public var dryWindow: Int32 = 64
        public var drySequenceBreakers: [String] = ["\n", ":", "\"", "*"]
        /// 0 (off), 1 or 2.
        public var mirostat: Int32 = 0
        public var mirostatTau: Float = 5
        public var mirostatEta: Float = 0.1
        /// The samplers after the logit bias and the grammar, in order; one left out is not used (llama-server's
        /// `samplers`).
        public var order: [Stage] = Stage.llamaDefault
        /// The fewest tokens top-p, min-p, typical-p and XTC keep.
        public var minKeep: Int32 = 0

        public init() {}

        /// Whether a sampler is on that changes the pick even at temperature 0, where llama.cpp's chain still runs
        /// it before keeping the most likely token: typical-p and XTC can drop that token, and dynamic temperature
        /// samples at a temperature within the range.
        var actsAtZeroTemperature: Bool {
            typicalP < 1 || xtcProbability > 0 || dynamicTemperatureRange > 0
        }

        /// Greedy sampling: always the most likely token.
        public static var greedy: Options {
            var options = Options()
            options.temperature = 0
            return options
        }
    }

    /// A step of the chain that `Options.order` can place, named as llama.cpp names it.
    public enum Stage: String, Sendable, Hashable, CaseIterable {
        case penalties
        case dry
        case topNSigma = "top_n_sigma"
        case topK = "top_k"
        case typicalP = "typ_p"
        case topP = "top_p"
        case minP = "min_p"
        case xtc
        case temperature

        /// llama.cpp's default order.
        public static let llamaDefault: [Stage] = [
            .penalties, .dry, .topNSigma, .topK, .typicalP, .topP, .minP, .xtc, .temperature,
        ]
    }

    let handle: UnsafeMutablePointer<llama_sampler>
    /// Temperature 0 with no grammar and no penalties: the chain would only add the logit biases and pick the most
    /// likely token, which `sample` then does directly on the logits instead of copying all of them into llama.cpp's
    /// candidate array (at 16 parallel sequences that copy cost 2 ms of every decode step).
    let plainGreedy: Bool
    /// The logit biases, for the greedy fast path.
    let greedyBiases: [(token: Int, bias: Float)]
    let vocabularyCount: Int
    /// The samplers of the chain that keep a history of tokens (penalties, DRY), which `acceptPrompt` feeds. The
    /// chain owns them.
    private var historySamplers: [UnsafeMutablePointer<llama_sampler>] = []

    public init(model: LlamaModel, options: Options) throws(LlamaError) {
        plainGreedy =
            options.temperature <= 0 && options.grammar == nil && options.mirostat == 0
            && options.repeatPenalty == 1 && options.presencePenalty == 0 && options.frequencyPenalty == 0
            && options.dryMultiplier == 0 && !options.actsAtZeroTemperature && options.order.contains(.temperature)
        greedyBiases = options.logitBias.map { (token: Int($0.key), bias: $0.value) }
        vocabularyCount = model.vocabularySize
        var chainParameters = llama_sampler_chain_default_params()
        chainParameters.no_perf = true
        handle = try LlamaCall.created(
            llama_sampler_chain_init(chainParameters),
            or: LlamaError(.samplerCreationFailed, "llama.cpp could not create a sampler chain"))
        let vocabularySize = Int32(model.vocabularySize)
        if !options.logitBias.isEmpty {
            for token in options.logitBias.keys where token < 0 || token >= vocabularySize {
                throw LlamaError(
                    .invalidArgument,
                    "logit bias names token \(token), but the vocabulary has tokens 0 to \(vocabularySize - 1)")
            }
            let biases = options.logitBias.map { llama_logit_bias(token: $0.key, bias: $0.value) }
            llama_sampler_chain_add(handle, llama_sampler_init_logit_bias(vocabularySize, Int32(biases.count), biases))
        }
        if let grammar = options.grammar {
            guard let grammarSampler = llama_sampler_init_grammar(model.vocabulary, grammar, options.grammarRoot) else {
                throw LlamaError(
                    .invalidArgument,
                    "llama.cpp could not parse the grammar (root rule \"\(options.grammarRoot)\"); check its syntax")
            }
            llama_sampler_chain_add(handle, grammarSampler)
        }
        switch options.mirostat {
        case 0:
            break
        case 1:
            llama_sampler_chain_add(handle, llama_sampler_init_temp(options.temperature))
            llama_sampler_chain_add(
                handle,
                llama_sampler_init_mirostat(
                    vocabularySize, options.seed, options.mirostatTau, options.mirostatEta, 100))
            return
        case 2:
            llama_sampler_chain_add(handle, llama_sampler_init_temp(options.temperature))
            llama_sampler_chain_add(
                handle, llama_sampler_init_mirostat_v2(options.seed, options.mirostatTau, options.mirostatEta))
            return
        default:
            throw LlamaError(.invalidArgument, "mirostat must be 0 (off), 1 or 2, got \(options.mirostat)")
        }
        if options.order == Stage.llamaDefault && options.temperature <= 0 && !options.actsAtZeroTemperature {
            // Greedy: only what changes the logits before the pick matters.
            addPenalties(options, vocabularySize: vocabularySize)
            addDRY(options, vocabulary: model.vocabulary)
            llama_sampler_chain_add(handle, llama_sampler_init_greedy())
            return
        }
        let minKeep = Int(max(options.minKeep, 0))
        for stage in options.order {
            switch stage {
            case .penalties:
                addPenalties(options, vocabularySize: vocabularySize)
            case .dry:
                addDRY(options, vocabulary: model.vocabulary)
            case .topNSigma where options.topNSigma > 0:
                llama_sampler_chain_add(handle, llama_sampler_init_top_n_sigma(options.topNSigma))
            case .topK where options.topK > 0:
                llama_sampler_chain_add(handle, llama_sampler_init_top_k(options.topK))
            case .typicalP where options.typicalP < 1:
                llama_sampler_chain_add(handle, llama_sampler_init_typical(options.typicalP, minKeep))
            case .topP where options.topP < 1:
                llama_sampler_chain_add(handle, llama_sampler_init_top_p(options.topP, minKeep))
            case .minP where options.minP > 0:
                llama_sampler_chain_add(handle, llama_sampler_init_min_p(options.minP, minKeep))
            case .xtc where options.xtcProbability > 0:
                llama_sampler_chain_add(
                    handle,
                    llama_sampler_init_xtc(options.xtcProbability, options.xtcThreshold, minKeep, options.seed))
            case .temperature:
                llama_sampler_chain_add(
                    handle,
                    llama_sampler_init_temp_ext(
                        options.temperature, options.dynamicTemperatureRange, options.dynamicTemperatureExponent))
            case .topNSigma, .topK, .typicalP, .topP, .minP, .xtc:
                break  // off: it would change nothing
            }
        }
        llama_sampler_chain_add(handle, llama_sampler_init_dist(options.seed))
    }

    private func addPenalties(_ options: Options, vocabularySize: Int32) {
        guard options.repeatPenalty != 1 || options.presencePenalty != 0 || options.frequencyPenalty != 0 else {
            return
        }
        llama_sampler_chain_add(
            handle,
            llama_sampler_init_penalties(
                vocabularySize, options.penaltyWindow, options.repeatPenalty, options.frequencyPenalty,
                options.presencePenalty))
        rememberLastAsHistory()
    }

    private func rememberLastAsHistory() {
        if let last = llama_sampler_chain_get(handle, llama_sampler_chain_n(handle) - 1) {
            historySamplers.append(last)
        }
    }

    /// Shows the prompt to the samplers that look back (penalties, DRY), as llama-server does before generating: a
    /// repetition penalty then also weighs tokens of the prompt within its window. The grammar and the rest of the
    /// chain do not see the prompt.
    public func acceptPrompt(_ tokens: [LlamaToken]) {
        for sampler in historySamplers {
            for token in tokens { llama_sampler_accept(sampler, token) }
        }
    }

    /// Adds llama.cpp's DRY sampler, which reads its sequence breakers as C strings.
    private func addDRY(_ options: Options, vocabulary: OpaquePointer) {
        guard options.dryMultiplier != 0 else { return }
        defer { rememberLastAsHistory() }
        var breakers = options.drySequenceBreakers.map { strdup($0) }
        defer { breakers.forEach { free($0) } }
        breakers.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { pointers in
                llama_sampler_chain_add(
                    handle,
                    llama_sampler_init_dry(
                        vocabulary, options.dryMultiplier, options.dryBase, options.dryAllowedLength,
                        options.dryWindow, pointers.baseAddress, pointers.count))
            }
        }
    }

    deinit {
        llama_sampler_free(handle)
    }

    /// Samples a token from output `index` of the context's last batch and records it for penalties and grammar.
    public func sample(_ context: LlamaContext, outputIndex index: Int32) -> LlamaToken {
        if plainGreedy, let logits = llama_get_logits_ith(context.handle, index) {
            let values = UnsafeMutableBufferPointer(start: logits, count: vocabularyCount)
            return LlamaToken(Self.firstLargest(values, biases: greedyBiases))
        }
        return llama_sampler_sample(handle, context.handle, index)
    }

    /// The greedy pick after adding `biases` (tokens within `values`), as llama.cpp's logit-bias and greedy samplers
    /// make it: each bias is added to its logit in place, and the logits are put back as they were before returning.
    static func firstLargest(_ values: UnsafeMutableBufferPointer<Float>, biases: [(token: Int, bias: Float)]) -> Int {
        guard !biases.isEmpty else { return firstLargest(UnsafeBufferPointer(values)) }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: biases.count) { saved in
            for (slot, entry) in biases.enumerated() {
                saved[slot] = values[entry.token]
                values[entry.token] += entry.bias
            }
            defer { for (slot, entry) in biases.enumerated() { values[entry.token] = saved[slot] } }
            return firstLargest(UnsafeBufferPointer(values))
        }
    }

    /// The index of the first largest value, as llama.cpp's greedy sampler picks it: it compares each logit with
    /// the one selected so far, so a later equal value does not replace it, a NaN is never picked unless it comes
    /// first, and a NaN first stays. 0 for an empty buffer. Eight lanes at a time: the largest value that is not
    /// NaN, then the first place that holds it.
    static func firstLargest(_ values: UnsafeBufferPointer<Float>) -> Int {
        let count = values.count
        guard count > 0, let base = values.baseAddress, !values[0].isNaN else { return 0 }
        let width = SIMD8<Float>.scalarCount
        let stride = MemoryLayout<Float>.stride
        let whole = count - count % width
        let raw = UnsafeRawPointer(base)
        var lanes = SIMD8<Float>(repeating: values[0])
        var index = 0
        while index < whole {
            let chunk = raw.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            lanes.replace(with: chunk, where: chunk .> lanes)
            index += width
        }
        var largest = lanes.max()
        for index in whole..<count where values[index] > largest {
            largest = values[index]
        }
        let target = SIMD8<Float>(repeating: largest)
        index = 0
        while index < whole {
            if any(raw.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self) .== target) { break }
            index += width
        }
        while values[index] != largest { index += 1 }
        return index
    }

    /// Records a token that was not sampled here (e.g. prompt tokens, for penalties).
    public func accept(_ token: LlamaToken) {
        llama_sampler_accept(handle, token)
    }

    /// Forgets accepted tokens and grammar state.
    public func reset() {
        llama_sampler_reset(handle)
    }
}
