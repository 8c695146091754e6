import CLlama

/// The one place where llama.cpp's return codes are turned into Swift errors.
///
/// Every C call whose result can signal failure goes through one of these helpers, so that no code is ignored
/// and each failure carries a message that says what to do.
enum LlamaCall {
    /// `llama_decode`: 0 is success, 1 means no KV slot was free, 2 an abort, anything else a failure.
    static func decode(_ context: OpaquePointer, _ batch: llama_batch) throws(LlamaError) {
        let code = llama_decode(context, batch)
        switch code {
        case 0:
            return
        case 1:
            throw LlamaError(
                .contextFull,
                "the context has no room for \(batch.n_tokens) more tokens; use a larger --ctx-size or a shorter prompt"
            )
        case 2:
            throw LlamaError(.aborted, "llama_decode was stopped by the abort check")
        case -1:
            throw LlamaError(.decodeFailed, "llama_decode rejected the batch of \(batch.n_tokens) tokens as invalid")
        default:
            throw LlamaError(.decodeFailed, "llama_decode failed with code \(code); run with --verbose for details")
        }
    }

    /// `llama_tokenize` and `llama_token_to_piece` style calls: a negative result asks for a larger buffer
    /// (its magnitude is the size needed), `Int32.min` means the result would overflow.
    static func sizedOutput(
        initialCapacity: Int,
        what: String,
        _ body: (Int32) -> Int32
    ) throws(LlamaError) -> Int {
        var capacity = max(initialCapacity, 1)
        for _ in 0..<2 {
            let result = body(Int32(clamping: capacity))
            if result == Int32.min {
                throw LlamaError(.tokenizationFailed, "\(what): the result is too large")
            }
            if result >= 0 {
                return Int(result)
            }
            capacity = Int(-result)
        }
        throw LlamaError(.tokenizationFailed, "\(what): llama.cpp kept asking for a larger buffer")
    }

    /// A constructor that returns NULL on failure.
    static func created<Handle>(_ handle: Handle?, or error: @autoclosure () -> LlamaError) throws(LlamaError)
        -> Handle
    {
        guard let handle else { throw error() }
        return handle
    }
}
