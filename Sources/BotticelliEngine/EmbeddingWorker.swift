import BotticelliCore
import BotticelliLlama
import Foundation

/// Embeddings from a context created for them, on its own serial queue so they never wait behind generation.
final class EmbeddingWorker: @unchecked Sendable {
    // @unchecked: `context` and `batch` are created lazily and used only on `queue`.
    private let model: LlamaModel
    private let threads: Int
    private let queue = DispatchQueue(label: "botticelli-embeddings")
    private var context: LlamaContext?
    private var batch: LlamaBatch?
    private static let contextSize = 2048

    init(model: LlamaModel, threads: Int) {
        self.model = model
        self.threads = threads
    }

    func embed(_ inputs: [String]) async throws -> (vectors: [[Float]], promptTokens: Int) {
        guard !inputs.isEmpty else { throw InferenceError(.invalidRequest, "give at least one input to embed") }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.embedOnQueue(inputs) })
            }
        }
    }

    private func embedOnQueue(_ inputs: [String]) throws -> (vectors: [[Float]], promptTokens: Int) {
        if context == nil {
            context = try LlamaContext(
                model: model,
                options: .init(
                    contextSize: Self.contextSize, batchSize: Self.contextSize, microBatchSize: Self.contextSize,
                    sequences: 1, threads: threads, embeddings: true, unifiedCache: true))
            batch = LlamaBatch(capacity: Self.contextSize)
        }
        let context = context!
        let batch = batch!
        var vectors: [[Float]] = []
        var total = 0
        for input in inputs {
            let tokens = try model.tokenize(input, addSpecial: true, parseSpecial: false)
            guard !tokens.isEmpty else { throw InferenceError(.invalidRequest, "an input to embed is empty") }
            guard tokens.count <= Self.contextSize else {
                throw InferenceError(
                    .contextExceeded,
                    "an input has \(tokens.count) tokens; embeddings take at most \(Self.contextSize)")
            }
            total += tokens.count
            context.clear()
            batch.clear()
            for (position, token) in tokens.enumerated() {
                batch.add(token, position: Int32(position), sequence: 0, wantsOutput: true)
            }
            try context.decode(batch)
            vectors.append(Self.normalised(try pooled(context: context, count: tokens.count)))
        }
        return (vectors, total)
    }

    /// The model's own pooling when it has one, else the mean of the token embeddings.
    private func pooled(context: LlamaContext, count: Int) throws -> [Float] {
        if context.poolsEmbeddings, let vector = context.embedding(sequence: 0, outputIndex: 0) {
            return vector
        }
        var sum = [Float](repeating: 0, count: model.embeddingLength)
        for index in 0..<count {
            guard let row = context.embedding(sequence: 0, outputIndex: Int32(index)) else {
                throw InferenceError(.engineFailure, "llama.cpp returned no embedding for token \(index)")
            }
            for dimension in sum.indices { sum[dimension] += row[dimension] }
        }
        return sum.map { $0 / Float(count) }
    }

    static func normalised(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
