import ArgumentParser
import BotticelliCore
import BotticelliHub
import BotticelliModelStore
import Foundation
import Logging

/// Where models are kept, and whether the network may be used.
struct StoreOptions: ParsableArguments {
    @Option(
        name: [.customLong("cache-dir"), .customLong("download-dir")],
        help: "The model cache (default: the Hugging Face cache, $HF_HUB_CACHE or ~/.cache/huggingface/hub).")
    var cacheDirectory: String?

    @Flag(help: "Use only the cache: never contact the Hub (as HF_HUB_OFFLINE=1).")
    var offline = false

    func validate() throws {
        if let cacheDirectory, cacheDirectory.isEmpty { throw ValidationError("--cache-dir must not be empty") }
    }

    /// The store for these options, over the built-in registry.
    func makeStore(connections: Int? = nil) throws -> ModelStore {
        var environment = HubEnvironment.fromProcess()
        if offline { environment.offline = true }
        var download = DownloadConfiguration()
        if let connections { download.connections = connections }
        return ModelStore(
            registry: try ModelRegistry.builtIn(), environment: environment, cacheDirectory: cacheDirectory,
            downloadConfiguration: download, logger: Logger(label: "botticelli.models"))
    }
}

/// `--json` on listings.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON for scripts instead of a table.")
    var json = false
}
