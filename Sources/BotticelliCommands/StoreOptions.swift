import ArgumentParser
import BotticelliCore
import BotticelliHub
import BotticelliModelStore
import Foundation
import Logging

/// Where the configuration and the models are, and whether the network may be used.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: "The configuration file (default: $BOTTICELLI_CONFIG, else ~/.config/botticelli/config.toml).")
    var configurationFile: String?

    @Option(
        name: [.customLong("cache-dir"), .customLong("download-dir")],
        help: "The model cache (default: cache_dir in the configuration, else the Hugging Face cache).")
    var cacheDirectory: String?

    @Flag(help: "Use only the cache: never contact the Hub (as HF_HUB_OFFLINE=1).")
    var offline = false

    func validate() throws {
        if let cacheDirectory, cacheDirectory.isEmpty { throw ValidationError("--cache-dir must not be empty") }
    }

    /// The configuration, with these flags and `extra` overriding the environment and the file.
    func configuration(_ extra: ConfigurationOverrides = ConfigurationOverrides()) throws -> EffectiveConfiguration {
        var overrides = extra
        overrides.configurationFile = configurationFile
        overrides.cacheDirectory = cacheDirectory
        return try ConfigurationLoader.forCurrentProcess().load(overrides)
    }

    /// The store for this configuration: the built-in registry plus the file's `[[models]]`, and its cache folder.
    func makeStore(configuration: EffectiveConfiguration? = nil, connections: Int? = nil) throws -> ModelStore {
        let configuration = try configuration ?? self.configuration()
        var environment = HubEnvironment.fromProcess()
        if offline { environment.offline = true }
        var download = DownloadConfiguration()
        if let connections { download.connections = connections }
        let builtIn = try ModelRegistry.builtIn()
        for entry in configuration.customModels where builtIn.model(id: entry.value.id) != nil {
            var origin: ConfigurationError.Origin?
            if case .file(let path, let line) = entry.source { origin = .file(path: path, line: line, column: nil) }
            throw ConfigurationError(
                kind: .invalidValue, origin: origin, key: "models.id",
                detail: "`\(entry.value.id)` is already the id of a built-in model; give the custom entry another id")
        }
        let registry = try builtIn.merging(configuration.customModels.map { $0.value.modelSpec })
        return ModelStore(
            registry: registry, environment: environment, cacheDirectory: configuration.cacheDirectory.value,
            downloadConfiguration: download, logger: Logger(label: "botticelli.models"))
    }
}

/// `--json` on listings.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON for scripts instead of a table.")
    var json = false
}

extension CustomModelEntry {
    /// The registry entry for a `[[models]]` table. What it leaves out is filled in: the quantization from the file
    /// name, the tokenizer from the repository itself; unknown sizes are 0 and are read from the Hub before download.
    var modelSpec: ModelSpec {
        let quantization =
            self.quantization.map(Quantization.init)
            ?? Quantization.known.sorted { $0.name.count > $1.name.count }.first {
                filename.uppercased().contains($0.name)
            }
            ?? Quantization("other")
        let size = downloadSizeBytes ?? 0
        // Unknown figures are estimated from the size as for any file of about 4.8 bits per weight (Q4_K_M).
        let ramBytes =
            minimumRAMGigabytes.map { UInt64($0 * 1_073_741_824) } ?? size + MemoryEstimate.overhead(weightsBytes: size)
        return ModelSpec(
            id: id, family: family ?? "custom", hfRepo: hfRepo, filename: filename, quantization: quantization,
            downloadSizeBytes: size, minimumRAMBytes: ramBytes, tokenizerRepo: tokenizerRepo ?? hfRepo,
            description: description ?? name ?? "\(hfRepo) \(filename)", useCases: useCases,
            parameterCount: parameterCount ?? max(1, UInt64(Double(size) / 0.6)), contextLength: contextLength ?? 4096,
            license: license ?? "unknown", revision: revision, sha256: sha256)
    }
}
