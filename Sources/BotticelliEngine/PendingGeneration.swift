import BotticelliCore
import BotticelliLlama
import Foundation
import Synchronization

/// A generation request after validation, waiting for a sequence. Created on the caller's side (tokenized, its
/// sampler built, so errors are thrown to the caller at once) and then handed to the scheduler thread.
final class PendingGeneration: @unchecked Sendable {
    // @unchecked: the sampler is created on the caller's side and from then on used only by the scheduler thread;
    // `cancelled` is atomic; everything else is immutable.
    let promptTokens: [LlamaToken]
    let maxTokens: Int
    let stopStrings: [String]
    let topLogprobs: Int?
    let sampler: LlamaSampler
    let continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
    let submitted = ContinuousClock.now
    private let cancelledFlag = Atomic<Bool>(false)

    init(
        promptTokens: [LlamaToken],
        maxTokens: Int,
        stopStrings: [String],
        topLogprobs: Int?,
        sampler: LlamaSampler,
        continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
    ) {
        self.promptTokens = promptTokens
        self.maxTokens = maxTokens
        self.stopStrings = stopStrings
        self.topLogprobs = topLogprobs
        self.sampler = sampler
        self.continuation = continuation
    }

    /// Set when the consumer stops listening; the scheduler frees the sequence at its next step.
    var isCancelled: Bool { cancelledFlag.load(ordering: .relaxed) }

    func cancel() {
        cancelledFlag.store(true, ordering: .relaxed)
    }
}
