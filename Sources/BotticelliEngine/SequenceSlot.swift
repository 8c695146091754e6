import BotticelliCore
import BotticelliLlama

/// One of the context's parallel sequences, and the generation it is running. Used only by the scheduler thread.
final class SequenceSlot {
    enum Phase {
        case idle
        /// Prompt tokens from `promptCursor` on are still to be decoded.
        case prompt
        /// `nextToken` was sampled and is to be decoded in the next step.
        case generating
    }

    let sequence: Int32
    var phase = Phase.idle
    /// The tokens whose keys and values are in the cache for this sequence, in position order.
    var cachedTokens: [LlamaToken] = []
    var lastUsed = ContinuousClock.now

    var request: PendingGeneration?
    var promptCursor = 0
    var cachedPromptTokens = 0
    var nextToken: LlamaToken = 0
    var generated = 0
    var decoder = TokenTextDecoder()
    var stopFilter = StopSequenceFilter(stopStrings: [])
    var unsentTokens: [Int32] = []
    var unsentLogprobs: [TokenLogprob] = []
    var promptStarted = ContinuousClock.now
    var promptFinished: ContinuousClock.Instant?
    var outputIndex: Int32?

    init(sequence: Int32) {
        self.sequence = sequence
    }

    var isBusy: Bool { phase != .idle }

    /// Takes `request`, keeping the first `reused` cached tokens (a shared prefix) and processing the rest.
    func start(_ request: PendingGeneration, reused: Int) {
        self.request = request
        phase = .prompt
        promptCursor = reused
        cachedPromptTokens = reused
        cachedTokens.removeSubrange(reused...)
        generated = 0
        decoder = TokenTextDecoder()
        stopFilter = StopSequenceFilter(stopStrings: request.stopStrings)
        unsentTokens = []
        unsentLogprobs = []
        promptStarted = .now
        promptFinished = nil
        outputIndex = nil
    }

    func finish() {
        request = nil
        phase = .idle
        outputIndex = nil
        lastUsed = .now
    }
}
