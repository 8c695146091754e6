import CLlama
import Foundation

/// A GGUF model loaded by llama.cpp. Owns the `llama_model` handle and frees it in `deinit`.
///
/// Contexts keep a strong reference to their model, so a model is always freed after every context made from it.
/// The model's weights and vocabulary are read-only once loaded, which llama.cpp allows from several threads.
public final class LlamaModel: @unchecked Sendable {
    // @unchecked: after loading, llama.cpp only reads the model (weights, vocabulary, metadata), and
    // tokenization is documented as thread-safe; all mutable state lives in contexts, which are not Sendable.

    /// How the model is loaded.
    public struct Options: Sendable, Hashable {
        /// Layers to offload to a GPU; 0 keeps everything on the CPU, -1 offloads all layers.
        public var gpuLayers: Int32 = 0
        /// Map the file instead of reading it into memory.
        public var useMemoryMap = true
        /// Lock the weights in RAM so the system does not swap them out.
        public var lockInMemory = false
        /// When the file is read rather than mapped, back the weights with 2 MiB pages where Linux allows it
        /// (see `HugePageAdvisor`).
        public var hugePages = true

        public init(
            gpuLayers: Int32 = 0, useMemoryMap: Bool = true, lockInMemory: Bool = false, hugePages: Bool = true
        ) {
            self.gpuLayers = gpuLayers
            self.useMemoryMap = useMemoryMap
            self.lockInMemory = lockInMemory
            self.hugePages = hugePages
        }
    }

    let handle: OpaquePointer
    let vocabulary: OpaquePointer
    /// The file the model was loaded from.
    public let path: String

    /// Loads the GGUF file at `path`. Checks that the file exists and starts with the GGUF magic before llama.cpp
    /// sees it, so the common mistakes get a clear error rather than a C-level failure.
    public init(path: String, options: Options = Options()) throws(LlamaError) {
        try Self.checkLooksLikeGGUF(path: path)
        LlamaBackend.ensureInitialised()
        var parameters = llama_model_default_params()
        parameters.n_gpu_layers = options.gpuLayers
        switch (options.useMemoryMap, options.lockInMemory) {
        case (true, false): parameters.load_mode = LLAMA_LOAD_MODE_MMAP
        case (true, true): parameters.load_mode = LLAMA_LOAD_MODE_MMAP_MLOCK
        case (false, true): parameters.load_mode = LLAMA_LOAD_MODE_MLOCK
        case (false, false): parameters.load_mode = LLAMA_LOAD_MODE_NONE
        }
        let loaded: OpaquePointer?
        if options.hugePages && !options.useMemoryMap {
            // The weight buffers exist by the first progress report and are filled after it.
            final class Box { var advisor = HugePageAdvisor(), started = false }
            let box = Box()
            parameters.progress_callback = { _, data in
                let box = Unmanaged<Box>.fromOpaque(data!).takeUnretainedValue()
                if !box.started {
                    box.started = true
                    box.advisor.adviseNewMappings()
                }
                return true
            }
            parameters.progress_callback_user_data = Unmanaged.passUnretained(box).toOpaque()
            loaded = withExtendedLifetime(box) { llama_model_load_from_file(path, parameters) }
            box.advisor.finish()
        } else {
            loaded = llama_model_load_from_file(path, parameters)
        }
        handle = try LlamaCall.created(loaded, or: .modelLoadFailed(path))
        vocabulary = try LlamaCall.created(
            llama_model_get_vocab(handle),
            or: LlamaError(.modelLoadFailed, "\(path) has no vocabulary; it cannot be used for text generation")
        )
        self.path = path
    }

    deinit {
        llama_model_free(handle)
    }

    static func checkLooksLikeGGUF(path: String) throws(LlamaError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .fileNotFound(path)
        }
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw LlamaError(.fileNotFound, "cannot open \(path) for reading; check its permissions")
        }
        defer { try? file.close() }
        let magic = (try? file.read(upToCount: 4)) ?? Data()
        guard magic == Data("GGUF".utf8) else {
            let shown =
                magic.isEmpty
                ? "nothing (the file is empty)"
                : magic.map { String(format: "%02x", $0) }.joined(separator: " ")
            throw .notGGUF(path, found: shown)
        }
    }

    /// The context length the model was trained with.
    public var trainingContextLength: Int { Int(llama_model_n_ctx_train(handle)) }
    /// The size of the embedding vectors.
    public var embeddingLength: Int { Int(llama_model_n_embd(handle)) }
    /// The number of tokens in the vocabulary.
    public var vocabularySize: Int { Int(llama_vocab_n_tokens(vocabulary)) }
    /// The number of parameters.
    public var parameterCount: UInt64 { llama_model_n_params(handle) }
    /// The size of the weights in bytes.
    public var weightsSize: UInt64 { llama_model_size(handle) }
    /// Whether the model has an encoder (T5-style); such models are not served yet.
    public var hasEncoder: Bool { llama_model_has_encoder(handle) }

    /// llama.cpp's short description, e.g. "llama ?B Q4_1".
    public var summary: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let written = llama_model_desc(handle, &buffer, buffer.count)
        return written > 0
            ? String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    }

    /// The Jinja chat template stored in the file, if any.
    public var chatTemplate: String? {
        guard let template = llama_model_chat_template(handle, nil) else { return nil }
        return String(cString: template)
    }

    /// A metadata value as text, if the key exists.
    public func metadata(_ key: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 1024)
        var length = llama_model_meta_val_str(handle, key, &buffer, buffer.count)
        if length < 0 { return nil }
        if Int(length) >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(length) + 1)
            length = llama_model_meta_val_str(handle, key, &buffer, buffer.count)
        }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
