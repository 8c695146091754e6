/// The command-line flags that override the configuration; nil (or empty) means the flag was not given.
///
/// The command line fills this from its options; the values are checked with the same rules as the file's, and an
/// error names the flag.
public struct ConfigurationOverrides: Sendable, Equatable {
    /// `--config`: the configuration file, which must exist.
    public var configurationFile: String?
    /// `--model`: a model reference (sets `model.spec`).
    public var model: String?
    /// `--cache-dir`.
    public var cacheDirectory: String?
    /// `--host`.
    public var host: String?
    /// `--port`.
    public var port: Int?
    /// `--api-key`.
    public var apiKey: String?
    /// `--parallel`.
    public var parallel: Int?
    /// `--ctx-size`.
    public var contextSize: Int?
    /// `--threads`.
    public var threads: Int?
    /// `--cors-origin`, repeatable; empty means not given.
    public var corsOrigins: [String]
    /// `--keep-alive`, as typed: `5m`, `-1`, `0`, `300`.
    public var keepAlive: String?
    /// `--max-models`.
    public var maximumModels: Int?

    public init(
        configurationFile: String? = nil, model: String? = nil, cacheDirectory: String? = nil, host: String? = nil,
        port: Int? = nil, apiKey: String? = nil, parallel: Int? = nil, contextSize: Int? = nil, threads: Int? = nil,
        corsOrigins: [String] = [], keepAlive: String? = nil, maximumModels: Int? = nil
    ) {
        self.configurationFile = configurationFile
        self.model = model
        self.cacheDirectory = cacheDirectory
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.parallel = parallel
        self.contextSize = contextSize
        self.threads = threads
        self.corsOrigins = corsOrigins
        self.keepAlive = keepAlive
        self.maximumModels = maximumModels
    }

    /// The flags' names, as `config show` prints them in the source column.
    public enum FlagName {
        public static let model = "--model"
        public static let cacheDirectory = "--cache-dir"
        public static let host = "--host"
        public static let port = "--port"
        public static let apiKey = "--api-key"
        public static let parallel = "--parallel"
        public static let contextSize = "--ctx-size"
        public static let threads = "--threads"
        public static let corsOrigins = "--cors-origin"
        public static let keepAlive = "--keep-alive"
        public static let maximumModels = "--max-models"
        public static let configurationFile = "--config"
    }

    /// The flags as a layer, each value checked.
    func layer() throws(ConfigurationError) -> ConfigurationLayer {
        typealias Schema = ConfigurationSchema
        typealias Flag = FlagName
        var layer = ConfigurationLayer()
        layer.modelSpec = try Schema.modelSpec.flagValue(model.map { .string($0) }, flag: Flag.model)
        layer.cacheDirectory = try Schema.cacheDirectory.flagValue(
            cacheDirectory.map { .string($0) }, flag: Flag.cacheDirectory)
        layer.host = try Schema.host.flagValue(host.map { .string($0) }, flag: Flag.host)
        layer.port = try Schema.port.flagValue(port.map { .integer($0) }, flag: Flag.port)
        layer.apiKey = try Schema.apiKey.flagValue(apiKey.map { .string($0) }, flag: Flag.apiKey)
        layer.parallel = try Schema.parallel.flagValue(parallel.map { .integer($0) }, flag: Flag.parallel)
        layer.contextSize = try Schema.contextSize.flagValue(contextSize.map { .integer($0) }, flag: Flag.contextSize)
        layer.threads = try Schema.threads.flagValue(threads.map { .integer($0) }, flag: Flag.threads)
        layer.corsOrigins = try Schema.corsOrigins.flagValue(
            corsOrigins.isEmpty ? nil : .array(corsOrigins.map { .string($0) }), flag: Flag.corsOrigins)
        layer.keepAlive = try Schema.keepAlive.flagValue(keepAlive.map { .string($0) }, flag: Flag.keepAlive)
        layer.maximumModels = try Schema.maximumModels.flagValue(
            maximumModels.map { .integer($0) }, flag: Flag.maximumModels)
        return layer
    }
}
