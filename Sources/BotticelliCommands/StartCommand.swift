import ArgumentParser
import BotticelliCore
import BotticelliEngine
import BotticelliModelStore
import BotticelliServer
import Foundation
import Logging

/// `start`: load a model and serve it over the OpenAI- and Ollama-compatible APIs.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Load a model and serve it over OpenAI- and Ollama-compatible HTTP APIs.",
        discussion: """
            The model is --model, else BOTTICELLI_MODEL, else [model] in the configuration file; with none, a model
            that fits this machine is chosen on the terminal (or with --yes) and saved to the configuration.
            It may be a registry id, org/repo[:QUANT], hf://org/repo/file.gguf or a path to a .gguf file; one that is
            not cached is downloaded first. Every option can also be set in the configuration file
            (`botticelli_server config init`) or as a BOTTICELLI_* environment variable; flags win.
            Example: botticelli_server start --model smollm2-135m-instruct-q4_1 --port 8080
            """
    )

    @Option(
        name: [.customLong("model"), .customShort("m")],
        help: "A registry id, org/repo[:QUANT], hf://org/repo/file.gguf, or a path to a .gguf file.")
    var model: String?

    @Flag(help: "When no model is configured and there is no terminal to ask on, take the recommended one.")
    var yes = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var hardware: HardwareOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        var logger = Logger(label: "botticelli")
        logger.logLevel = global.verbose ? .debug : .info
        let settings = try store.configuration(
            ConfigurationOverrides(
                model: model, host: server.host, port: server.port, apiKey: server.apiKey, parallel: server.parallel,
                contextSize: hardware.contextSize, threads: hardware.threads, corsOrigins: server.corsOrigins,
                keepAlive: server.keepAlive, maximumModels: server.maximumModels))
        let modelStore = try store.makeStore(configuration: settings)
        let contextSize =
            settings.contextSize.value > 0 ? settings.contextSize.value : HardwareOptions.defaultContextSize
        let source = try configuredSource(settings, store: modelStore, contextSize: contextSize)
        let local = try await ModelPreparation.prepare(
            source: source, store: modelStore, contextSize: contextSize, force: hardware.force)

        var engineConfiguration = EngineConfiguration()
        engineConfiguration.parallelSequences = settings.parallel.value ?? 4
        engineConfiguration.contextSize = contextSize
        engineConfiguration.threads = settings.threads.value
        engineConfiguration.model = hardware.modelOptions
        StandardError.write("Loading \(local.path)...\n")
        let engine = try LlamaServingEngine(
            id: local.id, path: local.path, configuration: engineConfiguration, logger: logger)
        let loader = ServerModelLoader(store: modelStore, configuration: engineConfiguration, logger: logger)
        let keepAlive: Double =
            switch settings.keepAlive.value {
            case .forever: -1
            case .unloadImmediately: 0
            case .seconds(let seconds): Double(seconds)
            }
        let manager = ModelManager(
            defaultEngine: LoadedEngine(
                engine: engine,
                memoryBytes: (try? modelStore.memoryEstimate(local, contextLength: UInt64(contextSize)))?.totalBytes
                    ?? UInt64(max(local.sizeBytes, 0))),
            loader: loader,
            policy: .init(maximumLoaded: settings.maximumModels.value, keepAliveSeconds: keepAlive), logger: logger)
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.host = settings.host.value
        serverConfiguration.port = settings.port.value
        serverConfiguration.apiKey = settings.apiKey.value
        serverConfiguration.corsOrigins = settings.corsOrigins.value
        let configuration = serverConfiguration
        try await BotticelliApplication.run(
            provider: manager,
            library: StoreModelLibrary(store: modelStore, contextLength: UInt64(contextSize)),
            configuration: configuration, services: [manager], logger: logger
        ) { port in
            let host = configuration.host == "0.0.0.0" ? "localhost" : configuration.host
            let url = "http://\(host):\(port)"
            StandardOutput().write(
                """
                Serving \(local.id) on \(url)
                Try: curl \(url)/v1/chat/completions -H 'Content-Type: application/json' \\
                       -d '{"messages":[{"role":"user","content":"Hello!"}]}'

                """)
        }
        await manager.shutdown()
        engine.shutdown()
    }

    /// The model the flags, environment or file name; else the one chosen now, saved to the configuration file.
    private func configuredSource(
        _ settings: EffectiveConfiguration, store: ModelStore, contextSize: Int
    ) throws -> ModelSource {
        switch settings.model {
        case .reference(let reference):
            return try store.resolve(reference)
        case .repository(let repo, let filename, _, let revision):
            return .hubFile(repo: repo, filename: filename, revision: revision ?? "main")
        case nil:
            let spec = try ModelSelection.choose(
                store: store, contextLength: UInt64(contextSize), acceptRecommendation: yes)
            try ModelSelection.save(spec, to: settings.file.path)
            return .registry(spec)
        }
    }
}
