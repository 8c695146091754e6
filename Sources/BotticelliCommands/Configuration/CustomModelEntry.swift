/// A model added to the registry by a `[[models]]` entry of the configuration file.
///
/// A plain copy of the file's fields, checked but not interpreted; the command line maps it to the core's
/// `ModelSpec`, filling what the entry leaves out.
public struct CustomModelEntry: Sendable, Hashable {
    /// The short name users type, such as `my-model-q4`.
    public var id: String
    /// A display name.
    public var name: String?
    /// The Hugging Face repository holding the file, `owner/name`.
    public var hfRepo: String
    /// The GGUF file's path in the repository.
    public var filename: String
    /// The quantization, such as `Q4_K_M`.
    public var quantization: String?
    /// The file's size in bytes (`size_bytes`).
    public var downloadSizeBytes: UInt64?
    /// The memory needed to run the model, in gigabytes (`min_ram_gb`).
    public var minimumRAMGigabytes: Double?
    /// The context length the model supports, in tokens.
    public var contextLength: UInt64?
    /// The repository whose tokenizer files match the model.
    public var tokenizerRepo: String?
    public var description: String?
    /// What the model is good at, such as `chat` or `coding`.
    public var useCases: [String]
    /// The model family, such as `llama`.
    public var family: String?
    /// The parameter count as written, such as `7B` or `1.5B`.
    public var parameters: String?
    /// The license's identifier, such as `apache-2.0`.
    public var license: String?
    /// The 40-hex commit to download from; nil follows `main`.
    public var revision: String?
    /// The file's SHA-256, 64 lower-case hexadecimal characters.
    public var sha256: String?

    public init(
        id: String, name: String? = nil, hfRepo: String, filename: String, quantization: String? = nil,
        downloadSizeBytes: UInt64? = nil, minimumRAMGigabytes: Double? = nil, contextLength: UInt64? = nil,
        tokenizerRepo: String? = nil, description: String? = nil, useCases: [String] = [], family: String? = nil,
        parameters: String? = nil, license: String? = nil, revision: String? = nil, sha256: String? = nil
    ) {
        self.id = id
        self.name = name
        self.hfRepo = hfRepo
        self.filename = filename
        self.quantization = quantization
        self.downloadSizeBytes = downloadSizeBytes
        self.minimumRAMGigabytes = minimumRAMGigabytes
        self.contextLength = contextLength
        self.tokenizerRepo = tokenizerRepo
        self.description = description
        self.useCases = useCases
        self.family = family
        self.parameters = parameters
        self.license = license
        self.revision = revision
        self.sha256 = sha256
    }

    /// ``parameters`` as a number: `"1.5B"` is 1_500_000_000.
    public var parameterCount: UInt64? {
        parameters.flatMap(ConfigurationNames.parameterCount)
    }
}
