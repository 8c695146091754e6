extension GGUFFile {
    /// The quantization `general.file_type` names, or nil when the header does not say.
    ///
    /// Kept out of `GGUF/` so that folder compiles on its own (the fuzzer builds it without the registry).
    public var quantization: Quantization? { fileType.map(Quantization.init(fileType:)) }
}
