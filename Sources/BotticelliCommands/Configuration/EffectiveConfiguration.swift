/// The configuration in force after flags, environment, file and defaults are combined, each value with its source.
public struct EffectiveConfiguration: Sendable, Equatable {
    /// The file the lookup chose, which may not exist.
    public var file: ConfigurationFileLocation

    /// `model.spec`. The model keys come as a group from the highest-precedence source that names a model.
    public var modelSpec: ConfiguredValue<String?>
    /// `model.hf_repo`.
    public var modelRepository: ConfiguredValue<String?>
    /// `model.filename`.
    public var modelFilename: ConfiguredValue<String?>
    /// `model.tokenizer_repo`.
    public var modelTokenizerRepository: ConfiguredValue<String?>
    /// `model.revision`.
    public var modelRevision: ConfiguredValue<String?>
    /// `model.cache_dir`, with `~` expanded; nil leaves the Hugging Face cache's own default.
    public var cacheDirectory: ConfiguredValue<String?>

    /// `server.host`.
    public var host: ConfiguredValue<String>
    /// `server.port`; 0 picks a free port.
    public var port: ConfiguredValue<Int>
    /// `server.api_key`; nil lets every request in.
    public var apiKey: ConfiguredValue<String?>
    /// `server.parallel`; nil lets the server choose.
    public var parallel: ConfiguredValue<Int?>
    /// `server.ctx_size`; 0 uses the model's own context length.
    public var contextSize: ConfiguredValue<Int>
    /// `server.threads`; nil lets llama.cpp choose.
    public var threads: ConfiguredValue<Int?>
    /// `server.cors_origins`.
    public var corsOrigins: ConfiguredValue<[String]>
    /// `server.keep_alive`.
    public var keepAlive: ConfiguredValue<ModelKeepAlive>
    /// `server.max_models`: the most models loaded at once.
    public var maximumModels: ConfiguredValue<Int>

    /// The `[[models]]` entries, in file order.
    public var customModels: [ConfiguredValue<CustomModelEntry>]

    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8080
    /// As Ollama on a CPU: three models at most.
    public static let defaultMaximumModels = 3
    public static let defaultContextSize = 0

    /// The model chosen, or nil when none is configured.
    public var model: ConfiguredModel? {
        if let spec = modelSpec.value { return .reference(spec) }
        guard let repository = modelRepository.value, let filename = modelFilename.value else { return nil }
        return .repository(
            hfRepo: repository, filename: filename, tokenizerRepo: modelTokenizerRepository.value,
            revision: modelRevision.value)
    }

    /// Combines the layers, highest precedence first, over the defaults.
    init(
        file: ConfigurationFileLocation, layers: [ConfigurationLayer],
        customModels: [ConfiguredValue<CustomModelEntry>]
    ) {
        func pick<Value>(_ key: KeyPath<ConfigurationLayer, ConfiguredValue<Value>?>, _ fallback: Value)
            -> ConfiguredValue<Value>
        {
            layers.lazy.compactMap { $0[keyPath: key] }.first ?? ConfiguredValue(fallback, source: .default)
        }
        func pickOptional<Value>(
            _ key: KeyPath<ConfigurationLayer, ConfiguredValue<Value>?>, from candidates: [ConfigurationLayer]
        ) -> ConfiguredValue<Value?> {
            candidates.lazy.compactMap { $0[keyPath: key] }.first?.map { Optional($0) }
                ?? ConfiguredValue(nil, source: .default)
        }
        let modelLayer = layers.first(where: \.namesModel).map { [$0] } ?? []
        self.file = file
        modelSpec = pickOptional(\.modelSpec, from: modelLayer)
        modelRepository = pickOptional(\.modelRepository, from: modelLayer)
        modelFilename = pickOptional(\.modelFilename, from: modelLayer)
        modelTokenizerRepository = pickOptional(\.modelTokenizerRepository, from: modelLayer)
        modelRevision = pickOptional(\.modelRevision, from: modelLayer)
        cacheDirectory = pickOptional(\.cacheDirectory, from: layers)
        host = pick(\.host, Self.defaultHost)
        port = pick(\.port, Self.defaultPort)
        apiKey = pickOptional(\.apiKey, from: layers)
        parallel = pickOptional(\.parallel, from: layers)
        contextSize = pick(\.contextSize, Self.defaultContextSize)
        threads = pickOptional(\.threads, from: layers)
        corsOrigins = pick(\.corsOrigins, [])
        keepAlive = pick(\.keepAlive, ModelKeepAlive.defaultValue)
        maximumModels = pick(\.maximumModels, Self.defaultMaximumModels)
        self.customModels = customModels
    }
}
