import CLlama

/// An inference context over a model: the KV cache, the compute buffers and the thread settings.
///
/// Owns the `llama_context` handle, frees it in `deinit`, and keeps its model alive until then, so the context
/// is always freed before the model. Not thread-safe: one owner (the engine's serial executor) uses it.
public final class LlamaContext {
    /// How the context is created.
    public struct Options: Sendable, Hashable {
        /// Total KV-cache size in tokens, shared by all sequences; 0 takes the model's training context.
        public var contextSize: Int
        /// The most tokens one `decode` call may carry.
        public var batchSize: Int
        /// The physical micro-batch size llama.cpp splits a batch into.
        public var microBatchSize: Int
        /// The number of sequences that can live in the cache at once.
        public var sequences: Int
        /// Threads for generating one token at a time.
        public var threads: Int
        /// Threads for prompt processing (batches of many tokens).
        public var batchThreads: Int
        /// Produce embeddings instead of (or as well as) logits.
        public var embeddings: Bool
        /// Use one KV buffer for all sequences (good when they share prefixes) rather than one each.
        public var unifiedCache: Bool
        /// Back the KV cache and compute buffers with 2 MiB pages on Linux (see `HugePageAdvisor`).
        public var hugePages: Bool

        public init(
            contextSize: Int = 4096,
            batchSize: Int = 2048,
            microBatchSize: Int = 512,
            sequences: Int = 1,
            threads: Int = LlamaContext.defaultThreadCount,
            batchThreads: Int? = nil,
            embeddings: Bool = false,
            unifiedCache: Bool = true,
            hugePages: Bool = true
        ) {
            self.contextSize = contextSize
            self.batchSize = batchSize
            self.microBatchSize = microBatchSize
            self.sequences = sequences
            self.threads = threads
            self.batchThreads = batchThreads ?? threads
            self.embeddings = embeddings
            self.unifiedCache = unifiedCache
            self.hugePages = hugePages
        }
    }

    /// The number of CPU cores this process may use, at least 1.
    public static var defaultThreadCount: Int {
        max(1, ProcessInfoShim.activeProcessorCount)
    }

    public let model: LlamaModel
    let handle: OpaquePointer

    public init(model: LlamaModel, options: Options = Options()) throws(LlamaError) {
        guard options.threads > 0, options.batchThreads > 0 else {
            throw LlamaError(.invalidArgument, "the thread count must be at least 1, got \(options.threads)")
        }
        guard options.sequences > 0, options.sequences <= Int(llama_max_parallel_sequences()) else {
            throw LlamaError(
                .invalidArgument,
                "parallel sequences must be between 1 and \(llama_max_parallel_sequences()), got \(options.sequences)"
            )
        }
        LlamaBackend.ensureInitialised()
        var parameters = llama_context_default_params()
        parameters.n_ctx = UInt32(clamping: options.contextSize)
        parameters.n_batch = UInt32(clamping: options.batchSize)
        parameters.n_ubatch = UInt32(clamping: min(options.microBatchSize, options.batchSize))
        parameters.n_seq_max = UInt32(clamping: options.sequences)
        parameters.n_threads = Int32(clamping: options.threads)
        parameters.n_threads_batch = Int32(clamping: options.batchThreads)
        parameters.embeddings = options.embeddings
        parameters.kv_unified = options.unifiedCache
        parameters.no_perf = true
        self.model = model
        let created =
            options.hugePages
            ? HugePageAdvisor.whileCreatingContext { llama_init_from_model(model.handle, parameters) }
            : llama_init_from_model(model.handle, parameters)
        self.handle = try LlamaCall.created(created, or: .contextCreationFailed(contextSize: options.contextSize))
    }

    deinit {
        llama_free(handle)
    }

    /// Asked by llama.cpp's compute threads between graph nodes while `decode` runs; true stops the decode, which
    /// then throws `.aborted`. Must be cheap and thread-safe.
    public typealias AbortCheck = @Sendable () -> Bool

    private final class AbortBox {
        var check: AbortCheck?
    }

    private let abortBox = AbortBox()
    private var abortInstalled = false

    /// Sets (or with nil clears) the check consulted during later `decode` calls. Call on the owning thread only,
    /// never while a decode runs.
    public func setAbortCheck(_ check: AbortCheck?) {
        abortBox.check = check
        guard !abortInstalled else { return }
        abortInstalled = true
        llama_set_abort_callback(
            handle,
            { data in
                guard let data else { return false }
                return Unmanaged<AbortBox>.fromOpaque(data).takeUnretainedValue().check?() ?? false
            },
            Unmanaged.passUnretained(abortBox).toOpaque())
    }

    /// The KV-cache size in tokens.
    public var contextSize: Int { Int(llama_n_ctx(handle)) }
    /// The context available to each sequence.
    public var sequenceContextSize: Int { Int(llama_n_ctx_seq(handle)) }
    /// The largest batch one `decode` call accepts.
    public var batchSize: Int { Int(llama_n_batch(handle)) }

    /// Runs the model over `batch`, filling the KV cache and the logits of the tokens marked for output.
    public func decode(_ batch: LlamaBatch) throws(LlamaError) {
        guard batch.count > 0 else { return }
        try LlamaCall.decode(handle, batch.raw)
    }

    /// Removes the cached tokens of `sequence` at positions `from ..< to` (`to` nil: to the end).
    /// Returns false when llama.cpp cannot remove part of a sequence (recurrent models); whole sequences always go.
    @discardableResult
    public func removeTokens(sequence: Int32, from start: Int32 = 0, to end: Int32? = nil) -> Bool {
        llama_memory_seq_rm(llama_get_memory(handle), sequence, start, end ?? -1)
    }

    /// Copies the cached tokens of one sequence to another (shares the cells, no compute).
    public func copyTokens(from source: Int32, to destination: Int32, from start: Int32 = 0, to end: Int32? = nil) {
        llama_memory_seq_cp(llama_get_memory(handle), source, destination, start, end ?? -1)
    }

    /// Empties the whole KV cache.
    public func clear() {
        llama_memory_clear(llama_get_memory(handle), true)
    }

    /// The largest position cached for `sequence`, or -1 when it holds nothing.
    public func lastPosition(of sequence: Int32) -> Int32 {
        llama_memory_seq_pos_max(llama_get_memory(handle), sequence)
    }

    /// The logits for output `index` of the last decoded batch (`-1` for the last output).
    public func logits(at index: Int32) -> UnsafeBufferPointer<Float>? {
        guard let pointer = llama_get_logits_ith(handle, index) else { return nil }
        return UnsafeBufferPointer(start: pointer, count: model.vocabularySize)
    }

    /// The pooled embedding of `sequence` after decoding with an embeddings context, or the embedding of output
    /// `index` when the model does not pool.
    public func embedding(sequence: Int32, outputIndex: Int32) -> [Float]? {
        let length = model.embeddingLength
        if llama_pooling_type(handle) != LLAMA_POOLING_TYPE_NONE,
            let pooled = llama_get_embeddings_seq(handle, sequence)
        {
            return Array(UnsafeBufferPointer(start: pooled, count: length))
        }
        guard let row = llama_get_embeddings_ith(handle, outputIndex) else { return nil }
        return Array(UnsafeBufferPointer(start: row, count: length))
    }

    /// Whether this context pools token embeddings into one vector per sequence.
    public var poolsEmbeddings: Bool {
        llama_pooling_type(handle) != LLAMA_POOLING_TYPE_NONE
    }

    /// Changes the thread counts for later `decode` calls.
    public func setThreads(generation: Int, batch: Int) {
        llama_set_n_threads(handle, Int32(clamping: generation), Int32(clamping: batch))
    }
}
