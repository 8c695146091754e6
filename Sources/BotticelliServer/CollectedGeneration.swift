import BotticelliCore

/// The whole of one generation, for a response that is not streamed.
struct CollectedGeneration: Sendable {
    var text = ""
    var logprobs: [TokenLogprob] = []
    var summary: GenerationSummary?
}

extension AsyncThrowingStream where Element == GenerationEvent, Failure == any Error {
    /// Reads the generation to its end; an engine error becomes the API error that reports it.
    func collect() async throws -> CollectedGeneration {
        try await APIError.reportingEngineErrors {
            var collected = CollectedGeneration()
            for try await event in self {
                switch event {
                case .text(let piece, _, let pieceLogprobs):
                    collected.text += piece
                    collected.logprobs += pieceLogprobs
                case .finished(let summary):
                    collected.summary = summary
                }
            }
            return collected
        }
    }
}
