/// One row of `config show`: a dotted key, its value as text and as JSON, and where it came from.
public struct ConfigurationEntry: Sendable, Equatable {
    public var key: String
    /// The value as the table shows it (secrets masked, unset values described).
    public var text: String
    /// The value as JSON shows it (secrets masked, unset values null).
    public var json: ConfigurationJSON
    public var source: ConfigurationSource

    public init(key: String, text: String, json: ConfigurationJSON, source: ConfigurationSource) {
        self.key = key
        self.text = text
        self.json = json
        self.source = source
    }

    /// What `config show` prints in place of an API key.
    public static let maskedSecret = "********"
}

extension EffectiveConfiguration {
    /// Every `[model]` and `[server]` key, in schema order.
    public var entries: [ConfigurationEntry] {
        func string(_ key: String, _ value: ConfiguredValue<String?>, unset: String) -> ConfigurationEntry {
            ConfigurationEntry(
                key: key, text: value.value ?? unset, json: value.value.map { .string($0) } ?? .null,
                source: value.source)
        }
        func integer(_ key: String, _ value: ConfiguredValue<Int?>, unset: String) -> ConfigurationEntry {
            ConfigurationEntry(
                key: key, text: value.value.map { "\($0)" } ?? unset, json: value.value.map { .integer($0) } ?? .null,
                source: value.source)
        }
        let maskedKey = apiKey.map { $0.map { _ in ConfigurationEntry.maskedSecret } }
        let origins = corsOrigins.value
        return [
            string("model.spec", modelSpec, unset: "(not set)"),
            string("model.hf_repo", modelRepository, unset: "(not set)"),
            string("model.filename", modelFilename, unset: "(not set)"),
            string("model.tokenizer_repo", modelTokenizerRepository, unset: "(not set)"),
            string("model.revision", modelRevision, unset: "(not set)"),
            string("model.cache_dir", cacheDirectory, unset: "(the Hugging Face cache)"),
            string("server.host", host.map { Optional($0) }, unset: ""),
            integer("server.port", port.map { Optional($0) }, unset: ""),
            string("server.api_key", maskedKey, unset: "(none)"),
            integer("server.parallel", parallel, unset: "auto"),
            ConfigurationEntry(
                key: "server.ctx_size", text: contextSize.value == 0 ? "0 (the model's own)" : "\(contextSize.value)",
                json: .integer(contextSize.value), source: contextSize.source),
            integer("server.threads", threads, unset: "auto"),
            ConfigurationEntry(
                key: "server.cors_origins", text: origins.isEmpty ? "(none)" : origins.joined(separator: ", "),
                json: .array(origins.map { .string($0) }), source: corsOrigins.source),
            ConfigurationEntry(
                key: "server.keep_alive", text: keepAlive.value.description,
                json: .string(keepAlive.value.description), source: keepAlive.source),
            integer("server.max_models", maximumModels.map { Optional($0) }, unset: ""),
        ]
    }
}
