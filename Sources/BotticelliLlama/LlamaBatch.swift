import CLlama

/// A batch of tokens for one `decode` call, possibly from several sequences. Owns its `llama_batch` buffers.
public final class LlamaBatch {
    var raw: llama_batch
    /// The most tokens this batch can hold.
    public let capacity: Int

    public init(capacity: Int) {
        precondition(capacity > 0, "a batch holds at least one token")
        self.capacity = capacity
        // One sequence id per token: sequences never share a token position in this engine.
        raw = llama_batch_init(Int32(clamping: capacity), 0, 1)
    }

    deinit {
        llama_batch_free(raw)
    }

    /// The number of tokens in the batch.
    public var count: Int { Int(raw.n_tokens) }
    /// Whether another token fits.
    public var isFull: Bool { count >= capacity }

    /// Empties the batch; the buffers are kept.
    public func clear() {
        raw.n_tokens = 0
    }

    /// Appends one token. Returns the index of its output row when `wantsOutput` (for sampling), else nil.
    @discardableResult
    public func add(_ token: LlamaToken, position: Int32, sequence: Int32, wantsOutput: Bool) -> Int32? {
        precondition(!isFull, "batch capacity \(capacity) exceeded")
        let index = Int(raw.n_tokens)
        raw.token[index] = token
        raw.pos[index] = position
        raw.n_seq_id[index] = 1
        raw.seq_id[index]![0] = sequence
        raw.logits[index] = wantsOutput ? 1 : 0
        raw.n_tokens += 1
        return wantsOutput ? Int32(index) : nil
    }

    /// Marks the last token of the batch for output and returns its index.
    public func requestOutputForLastToken() -> Int32 {
        precondition(count > 0, "empty batch")
        raw.logits[count - 1] = 1
        return Int32(count - 1)
    }
}
