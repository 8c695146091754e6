/// The `BOTTICELLI_*` environment variables as a layer of settings.
///
/// An empty variable counts as unset. A bad value is an error that names the variable.
enum ConfigurationEnvironment {
    /// The variable that names the configuration file.
    static let configurationFileVariable = "BOTTICELLI_CONFIG"

    static func layer(_ environment: [String: String]) throws(ConfigurationError) -> ConfigurationLayer {
        typealias Schema = ConfigurationSchema
        var layer = ConfigurationLayer()
        layer.modelSpec = try Schema.modelSpec.environmentValue(environment)
        layer.cacheDirectory = try Schema.cacheDirectory.environmentValue(environment)
        layer.host = try Schema.host.environmentValue(environment)
        layer.port = try Schema.port.environmentValue(environment)
        layer.apiKey = try Schema.apiKey.environmentValue(environment)
        layer.parallel = try Schema.parallel.environmentValue(environment)
        layer.contextSize = try Schema.contextSize.environmentValue(environment)
        layer.threads = try Schema.threads.environmentValue(environment)
        layer.corsOrigins = try Schema.corsOrigins.environmentValue(environment)
        layer.keepAlive = try Schema.keepAlive.environmentValue(environment)
        layer.maximumModels = try Schema.maximumModels.environmentValue(environment)
        return layer
    }
}
