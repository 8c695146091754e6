/// The facts about the model that the rest of Botticelli needs, read from well-known metadata keys.
///
/// Keys of hyperparameters are prefixed by the architecture (`llama.context_length`); integer keys are accepted
/// at any integer width because converters differ.
extension GGUFFile {
    /// `general.architecture`, such as `llama`, `qwen2` or `gemma2`.
    public var architecture: String? { self["general.architecture"]?.stringValue }

    /// `general.name`, the model's display name.
    public var modelName: String? { self["general.name"]?.stringValue }

    /// The context length the model was trained for (`<arch>.context_length`).
    public var contextLength: UInt64? { architectureInteger("context_length") }

    /// The width of the embeddings (`<arch>.embedding_length`).
    public var embeddingLength: UInt64? { architectureInteger("embedding_length") }

    /// The number of transformer blocks, i.e. layers (`<arch>.block_count`).
    public var blockCount: UInt64? { architectureInteger("block_count") }

    /// The number of attention heads (`<arch>.attention.head_count`).
    public var headCount: UInt64? { architectureInteger("attention.head_count") }

    /// The number of key/value heads (`<arch>.attention.head_count_kv`); equal to the head count when absent,
    /// as llama.cpp assumes. Models that vary it per layer store an array: this is its largest element.
    public var keyValueHeadCount: UInt64? {
        guard let architecture, let value = self["\(architecture).attention.head_count_kv"] else {
            return headCount
        }
        if let array = value.arrayValue {
            return array.values.compactMap(\.unsignedIntegerValue).max()
        }
        return value.unsignedIntegerValue
    }

    /// The size of one key head (`<arch>.attention.key_length`, else embedding length / head count).
    public var keyLength: UInt64? {
        architectureInteger("attention.key_length") ?? headDimension
    }

    /// The size of one value head (`<arch>.attention.value_length`, else embedding length / head count).
    public var valueLength: UInt64? {
        architectureInteger("attention.value_length") ?? headDimension
    }

    /// `general.file_type`: the quantization of most weights.
    public var fileType: GGUFFileType? {
        self["general.file_type"]?.unsignedIntegerValue.flatMap { UInt32(exactly: $0) }.map(GGUFFileType.init)
    }

    /// The number of parameters: the sum of every tensor's element count (saturating, for hostile headers).
    public var parameterCount: UInt64 {
        tensors.reduce(UInt64(0)) { total, tensor in
            let (sum, overflow) = total.addingReportingOverflow(tensor.elementCount)
            return overflow ? .max : sum
        }
    }

    /// The Jinja chat template the model ships (`tokenizer.chat_template`).
    public var chatTemplate: String? { self["tokenizer.chat_template"]?.stringValue }

    /// The tokenizer kind (`tokenizer.ggml.model`), such as `gpt2` or `llama`.
    public var tokenizerModel: String? { self["tokenizer.ggml.model"]?.stringValue }

    /// The beginning-of-sequence token id (`tokenizer.ggml.bos_token_id`).
    public var beginningOfSequenceTokenID: UInt64? { self["tokenizer.ggml.bos_token_id"]?.unsignedIntegerValue }

    /// The end-of-sequence token id (`tokenizer.ggml.eos_token_id`).
    public var endOfSequenceTokenID: UInt64? { self["tokenizer.ggml.eos_token_id"]?.unsignedIntegerValue }

    /// The number of tokens in the vocabulary (`tokenizer.ggml.tokens`).
    public var vocabularySize: Int? { self["tokenizer.ggml.tokens"]?.arrayValue?.values.count }

    /// The text of token `id` in the vocabulary, such as `<|im_start|>`.
    public func tokenText(_ id: UInt64) -> String? {
        guard let tokens = self["tokenizer.ggml.tokens"]?.arrayValue?.values, id < UInt64(tokens.count) else {
            return nil
        }
        return tokens[Int(id)].stringValue
    }

    /// The text of the beginning-of-sequence token, which chat templates use as `bos_token`.
    public var beginningOfSequenceToken: String? { beginningOfSequenceTokenID.flatMap(tokenText) }

    /// The text of the end-of-sequence token, which chat templates use as `eos_token`.
    public var endOfSequenceToken: String? { endOfSequenceTokenID.flatMap(tokenText) }

    /// Bytes of KV cache for `contextLength` tokens: keys and values for every layer, or nil when the header lacks
    /// the hyperparameters. `bytesPerElement` is 2 for llama.cpp's default f16 cache.
    public func keyValueCacheBytes(contextLength: UInt64, bytesPerElement: UInt64 = 2) -> UInt64? {
        guard let blockCount, let keyValueHeadCount, let keyLength, let valueLength else { return nil }
        // Keys and values: 2 * layers * context * kv heads * head size * element size, when both heads are equal.
        let (headSizes, sumOverflow) = keyLength.addingReportingOverflow(valueLength)
        let factors = [blockCount, keyValueHeadCount, sumOverflow ? .max : headSizes, bytesPerElement]
        return factors.reduce(contextLength) { product, factor in
            let (result, overflow) = product.multipliedReportingOverflow(by: factor)
            return overflow ? .max : result
        }
    }

    private var headDimension: UInt64? {
        guard let embeddingLength, let headCount, headCount > 0 else { return nil }
        return embeddingLength / headCount
    }

    private func architectureInteger(_ suffix: String) -> UInt64? {
        guard let architecture else { return nil }
        return self["\(architecture).\(suffix)"]?.unsignedIntegerValue
    }
}
