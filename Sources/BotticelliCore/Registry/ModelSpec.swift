/// One downloadable model: a GGUF file in a Hugging Face repository, and what it takes to run it.
public struct ModelSpec: Sendable, Hashable, Codable {
    /// The short name users type, such as `mistral-7b-instruct-v0.3-q4`.
    public var id: String
    /// The model family, such as `mistral`, `llama`, `phi`, `gemma`, `qwen` or `smollm`.
    public var family: String
    /// The Hugging Face repository holding the file, `owner/name`.
    public var hfRepo: String
    /// The GGUF file's path in the repository.
    public var filename: String
    /// The quantization of the weights.
    public var quantization: Quantization
    /// The file's size in bytes.
    public var downloadSizeBytes: UInt64
    /// The memory needed to run the model at ``MemoryEstimate/defaultContextLength`` tokens of context.
    public var minimumRAMBytes: UInt64
    /// The repository of the original (unquantized) model, whose tokenizer files match this one.
    public var tokenizerRepo: String
    /// One line for model lists.
    public var description: String
    /// What the model is good at, such as `chat` or `coding`.
    public var useCases: [String]
    /// The number of parameters, as the model card states it.
    public var parameterCount: UInt64
    /// The context length the model supports, in tokens.
    public var contextLength: UInt64
    /// The license's SPDX-style identifier, such as `apache-2.0`.
    public var license: String
    /// The 40-hex commit the size and checksum were taken from; nil follows `main`.
    public var revision: String?
    /// The file's SHA-256 (the Hub's LFS etag) at ``revision``; nil trusts the etag the Hub sends.
    public var sha256: String?
    /// The attention shape, which sizes the KV cache; nil falls back to a conservative estimate.
    public var attention: AttentionShape?

    public init(
        id: String, family: String, hfRepo: String, filename: String, quantization: Quantization,
        downloadSizeBytes: UInt64, minimumRAMBytes: UInt64, tokenizerRepo: String, description: String,
        useCases: [String], parameterCount: UInt64, contextLength: UInt64, license: String,
        revision: String? = nil, sha256: String? = nil, attention: AttentionShape? = nil
    ) {
        self.id = id
        self.family = family
        self.hfRepo = hfRepo
        self.filename = filename
        self.quantization = quantization
        self.downloadSizeBytes = downloadSizeBytes
        self.minimumRAMBytes = minimumRAMBytes
        self.tokenizerRepo = tokenizerRepo
        self.description = description
        self.useCases = useCases
        self.parameterCount = parameterCount
        self.contextLength = contextLength
        self.license = license
        self.revision = revision
        self.sha256 = sha256
        self.attention = attention
    }
}

/// The numbers that size a model's KV cache: layers, key/value heads and the size of one head.
public struct AttentionShape: Sendable, Hashable, Codable {
    public var layerCount: UInt64
    public var keyValueHeadCount: UInt64
    public var headDimension: UInt64

    public init(layerCount: UInt64, keyValueHeadCount: UInt64, headDimension: UInt64) {
        self.layerCount = layerCount
        self.keyValueHeadCount = keyValueHeadCount
        self.headDimension = headDimension
    }

    /// The shape a GGUF header describes, when it has the needed keys.
    public init?(file: GGUFFile) {
        guard let layers = file.blockCount, let heads = file.keyValueHeadCount, let dimension = file.keyLength
        else { return nil }
        self.init(layerCount: layers, keyValueHeadCount: heads, headDimension: dimension)
    }
}
