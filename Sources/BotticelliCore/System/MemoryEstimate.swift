/// How much memory running a model takes: its weights, its KV cache at a context length, and an overhead.
///
/// - Weights: the GGUF file's size. llama.cpp maps the file, and every page of it is touched while generating.
/// - KV cache: `2 (keys and values) * layers * context * KV heads * head size * 2 bytes` (llama.cpp's default
///   f16 cache). From the GGUF header when known, else from the registry's ``AttentionShape``, else
///   ``conservativeCacheBytesPerParameterPerToken``.
/// - Overhead: ``fixedOverheadBytes`` plus ``proportionalOverhead`` of the weights: llama.cpp's compute buffers
///   (they grow with the model's width), the runtime, the tokenizer and the server.
public struct MemoryEstimate: Sendable, Equatable {
    public let weightsBytes: UInt64
    public let keyValueCacheBytes: UInt64
    public let overheadBytes: UInt64
    /// The context length the KV cache was sized for.
    public let contextLength: UInt64

    /// The context length estimates use when none is given (or the model's own, when smaller).
    public static let defaultContextLength: UInt64 = 4096
    /// The fixed part of the overhead: 256 MiB.
    public static let fixedOverheadBytes: UInt64 = 256 << 20
    /// The proportional part of the overhead: a tenth of the weights.
    public static let proportionalOverhead = 0.10
    /// KV cache bytes per parameter per token for a model whose attention shape is unknown: that of a model
    /// without grouped-query attention (Llama 2 7B: 0.5 MiB per token for 6.7 billion parameters, 7.8e-5),
    /// rounded up. Models with grouped-query attention need four to eight times less.
    public static let conservativeCacheBytesPerParameterPerToken = 8e-5

    public init(weightsBytes: UInt64, keyValueCacheBytes: UInt64, overheadBytes: UInt64, contextLength: UInt64) {
        self.weightsBytes = weightsBytes
        self.keyValueCacheBytes = keyValueCacheBytes
        self.overheadBytes = overheadBytes
        self.contextLength = contextLength
    }

    /// The estimate for a registry entry at `contextLength` tokens (default: 4096, or the model's maximum).
    public init(spec: ModelSpec, contextLength: UInt64? = nil) {
        let context = Self.context(contextLength, modelMaximum: spec.contextLength)
        let cache: UInt64
        if let attention = spec.attention {
            cache = Self.cacheBytes(attention, contextLength: context)
        } else {
            let perToken = Double(spec.parameterCount) * Self.conservativeCacheBytesPerParameterPerToken
            cache = Self.saturating(perToken * Double(context))
        }
        self.init(
            weightsBytes: spec.downloadSizeBytes, keyValueCacheBytes: cache,
            overheadBytes: Self.overhead(weightsBytes: spec.downloadSizeBytes), contextLength: context)
    }

    /// The estimate for a GGUF file at `contextLength` tokens; `fallback` supplies the attention shape when the
    /// header lacks it.
    public init(file: GGUFFile, contextLength: UInt64? = nil, fallback: ModelSpec? = nil) {
        let context = Self.context(contextLength, modelMaximum: file.contextLength ?? fallback?.contextLength)
        let cache: UInt64
        if let fromHeader = file.keyValueCacheBytes(contextLength: context) {
            cache = fromHeader
        } else if let fallback {
            cache = MemoryEstimate(spec: fallback, contextLength: context).keyValueCacheBytes
        } else {
            let perToken = Double(file.parameterCount) * Self.conservativeCacheBytesPerParameterPerToken
            cache = Self.saturating(perToken * Double(context))
        }
        self.init(
            weightsBytes: file.fileSize, keyValueCacheBytes: cache,
            overheadBytes: Self.overhead(weightsBytes: file.fileSize), contextLength: context)
    }

    /// The total, saturating rather than overflowing.
    public var totalBytes: UInt64 {
        [keyValueCacheBytes, overheadBytes].reduce(weightsBytes) { total, part in
            let (sum, overflow) = total.addingReportingOverflow(part)
            return overflow ? .max : sum
        }
    }

    /// The overhead for weights of this size.
    public static func overhead(weightsBytes: UInt64) -> UInt64 {
        fixedOverheadBytes + Self.saturating(Double(weightsBytes) * proportionalOverhead)
    }

    /// The KV cache for an attention shape, f16 elements.
    public static func cacheBytes(_ attention: AttentionShape, contextLength: UInt64) -> UInt64 {
        [attention.layerCount, contextLength, attention.keyValueHeadCount, attention.headDimension, 2].reduce(
            UInt64(2)
        ) { product, factor in
            let (result, overflow) = product.multipliedReportingOverflow(by: factor)
            return overflow ? .max : result
        }
    }

    /// A non-negative double as bytes, saturating at the ends instead of trapping.
    static func saturating(_ value: Double) -> UInt64 {
        guard value > 0 else { return 0 }
        // Double(UInt64.max) rounds up to 2^64, which no UInt64 holds.
        return value >= Double(UInt64.max) ? .max : UInt64(value)
    }

    private static func context(_ requested: UInt64?, modelMaximum: UInt64?) -> UInt64 {
        if let requested { return requested }
        return min(defaultContextLength, modelMaximum ?? defaultContextLength)
    }
}
