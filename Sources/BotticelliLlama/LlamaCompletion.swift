import CLlama
import Foundation

/// One prompt continued on one sequence: the simplest path from text to text, used by `run` and by tests that
/// compare against llama.cpp's own tools. The serving engine batches many of these together instead.
public final class LlamaCompletion {
    /// Why generation ended.
    public enum FinishReason: String, Sendable {
        /// The model produced an end-of-generation token.
        case stop
        /// The token limit or the end of the context was reached.
        case length
    }

    /// What a finished generation measured.
    public struct Summary: Sendable {
        public var promptTokens: Int
        public var generatedTokens: Int
        public var promptSeconds: Double
        public var generationSeconds: Double
        public var finishReason: FinishReason

        /// Generated tokens per second, prompt processing excluded.
        public var generatedTokensPerSecond: Double {
            generationSeconds > 0 ? Double(generatedTokens) / generationSeconds : 0
        }
        /// Prompt tokens per second.
        public var promptTokensPerSecond: Double {
            promptSeconds > 0 ? Double(promptTokens) / promptSeconds : 0
        }
    }

    public let context: LlamaContext
    private let batch: LlamaBatch

    public init(context: LlamaContext) {
        self.context = context
        self.batch = LlamaBatch(capacity: context.batchSize)
    }

    /// Continues `prompt` for at most `maxTokens` tokens, calling `onText` with each piece of complete UTF-8 text.
    ///
    /// The prompt is tokenized as llama.cpp's examples do (special tokens added and parsed). The KV cache is cleared
    /// first, so each call starts fresh.
    public func generate(
        prompt: String,
        maxTokens: Int,
        sampling: LlamaSampler.Options,
        onText: (String) throws -> Void
    ) throws -> Summary {
        let model = context.model
        let promptTokens = try model.tokenize(prompt, addSpecial: true, parseSpecial: true)
        guard !promptTokens.isEmpty else {
            throw LlamaError(.invalidArgument, "the prompt is empty after tokenization; give some text")
        }
        let limit = context.sequenceContextSize
        guard promptTokens.count < limit else {
            throw LlamaError(
                .contextFull,
                "the prompt has \(promptTokens.count) tokens but the context holds \(limit); "
                    + "shorten the prompt or raise --ctx-size")
        }
        let sampler = try LlamaSampler(model: model, options: sampling)
        // As llama.cpp's programs do, the penalties and DRY see the prompt.
        sampler.acceptPrompt(promptTokens)
        context.clear()

        let promptStart = DispatchTime.now()
        var position: Int32 = 0
        var outputIndex: Int32 = 0
        for chunkStart in stride(from: 0, to: promptTokens.count, by: batch.capacity) {
            batch.clear()
            let chunk = promptTokens[chunkStart..<min(chunkStart + batch.capacity, promptTokens.count)]
            for token in chunk {
                batch.add(token, position: position, sequence: 0, wantsOutput: false)
                position += 1
            }
            if chunkStart + chunk.count == promptTokens.count {
                outputIndex = batch.requestOutputForLastToken()
            }
            try context.decode(batch)
        }
        let promptSeconds = Self.seconds(since: promptStart)

        let generationStart = DispatchTime.now()
        var decoder = TokenTextDecoder()
        var generated = 0
        var finishReason = FinishReason.length
        while generated < maxTokens {
            let token = sampler.sample(context, outputIndex: outputIndex)
            if model.isEndOfGeneration(token) {
                finishReason = .stop
                break
            }
            generated += 1
            let text = decoder.append(try model.piece(of: token))
            if !text.isEmpty { try onText(text) }
            guard generated < maxTokens, Int(position) + 1 < limit else { break }
            batch.clear()
            outputIndex = batch.add(token, position: position, sequence: 0, wantsOutput: true)!
            position += 1
            try context.decode(batch)
        }
        let rest = decoder.flush()
        if !rest.isEmpty { try onText(rest) }
        return Summary(
            promptTokens: promptTokens.count,
            generatedTokens: generated,
            promptSeconds: promptSeconds,
            generationSeconds: Self.seconds(since: generationStart),
            finishReason: finishReason)
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
