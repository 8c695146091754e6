import BotticelliCore

/// The whole of one generation, for a response that is not streamed.
struct CollectedGeneration: Sendable {
    var text = ""
    var tokens: [Int32] = []
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
                case .text(let piece, let pieceTokens, let pieceLogprobs):
                    collected.text += piece
                    collected.tokens += pieceTokens
                    collected.logprobs += pieceLogprobs
                case .finished(let summary):
                    collected.summary = summary
                }
            }
            return collected
        }
    }
}

extension Array where Element == AsyncThrowingStream<GenerationEvent, any Error> {
    /// Reads generations that run side by side to their ends, each result in its stream's place.
    func collectAll() async throws -> [CollectedGeneration] {
        try await withThrowingTaskGroup(of: (Int, CollectedGeneration).self) { group in
            for (index, stream) in enumerated() {
                group.addTask { (index, try await stream.collect()) }
            }
            var results = [CollectedGeneration](repeating: CollectedGeneration(), count: count)
            for try await (index, collected) in group { results[index] = collected }
            return results
        }
    }
}
