import BotticelliCore
import BotticelliLlama

extension LlamaSampler.Options {
    /// The sampler settings for `parameters`: a window of -1 (penalties, DRY) is the whole of a sequence's context,
    /// and none is longer (llama.cpp allocates a window's buffer up front, so a huge one would exhaust memory); no
    /// seed draws one at random.
    public init(_ parameters: SamplingParameters, sequenceContextSize: Int) {
        self.init()
        temperature = Float(parameters.temperature)
        topK = Int32(clamping: parameters.topK)
        topP = Float(parameters.topP)
        minP = Float(parameters.minP)
        repeatPenalty = Float(parameters.repeatPenalty)
        presencePenalty = Float(parameters.presencePenalty)
        frequencyPenalty = Float(parameters.frequencyPenalty)
        func window(_ value: Int) -> Int32 {
            Int32(clamping: value == -1 ? sequenceContextSize : min(max(value, 0), sequenceContextSize))
        }
        penaltyWindow = window(parameters.penaltyWindow)
        seed = parameters.seed ?? UInt32.random(in: 0..<UInt32.max)
        logitBias = parameters.logitBias.mapValues { Float($0) }
        typicalP = Float(parameters.typicalP)
        dynamicTemperatureRange = Float(parameters.dynamicTemperatureRange)
        dynamicTemperatureExponent = Float(parameters.dynamicTemperatureExponent)
        xtcProbability = Float(parameters.xtcProbability)
        xtcThreshold = Float(parameters.xtcThreshold)
        topNSigma = Float(parameters.topNSigma)
        dryMultiplier = Float(parameters.dryMultiplier)
        dryBase = Float(parameters.dryBase)
        dryAllowedLength = Int32(clamping: parameters.dryAllowedLength)
        dryWindow = window(parameters.dryWindow)
        drySequenceBreakers = parameters.drySequenceBreakers
        mirostat = Int32(clamping: parameters.mirostat)
        mirostatTau = Float(parameters.mirostatTau)
        mirostatEta = Float(parameters.mirostatEta)
        order = parameters.order.compactMap { LlamaSampler.Stage(rawValue: $0.rawValue) }
        minKeep = Int32(clamping: parameters.minKeep)
    }
}
