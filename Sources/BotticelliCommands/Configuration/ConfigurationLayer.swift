/// The settings one source gives: a file, the environment, or the flags. Nil means the source is silent.
struct ConfigurationLayer: Sendable, Equatable {
    var modelSpec: ConfiguredValue<String>?
    var modelRepository: ConfiguredValue<String>?
    var modelFilename: ConfiguredValue<String>?
    var modelTokenizerRepository: ConfiguredValue<String>?
    var modelRevision: ConfiguredValue<String>?
    var cacheDirectory: ConfiguredValue<String>?
    var host: ConfiguredValue<String>?
    var port: ConfiguredValue<Int>?
    var apiKey: ConfiguredValue<String>?
    var parallel: ConfiguredValue<Int>?
    var contextSize: ConfiguredValue<Int>?
    var threads: ConfiguredValue<Int>?
    var corsOrigins: ConfiguredValue<[String]>?
    var keepAlive: ConfiguredValue<ModelKeepAlive>?
    var maximumModels: ConfiguredValue<Int>?

    /// True when the layer names a model, in either form; the model keys are then taken from it as a whole.
    var namesModel: Bool {
        modelSpec != nil || modelRepository != nil || modelFilename != nil || modelTokenizerRepository != nil
            || modelRevision != nil
    }

    /// The layer with `~` in the cache directory replaced by `homeDirectory`.
    func expandingTilde(homeDirectory: String) -> ConfigurationLayer {
        var layer = self
        layer.cacheDirectory = cacheDirectory?.map { PathExpansion.expandingTilde($0, homeDirectory: homeDirectory) }
        return layer
    }
}
