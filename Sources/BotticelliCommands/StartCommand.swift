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
            The model is a registry id, org/repo[:QUANT], hf://org/repo/file.gguf or a path to a .gguf file; one that
            is not cached is downloaded first.
            Example: botticelli_server start --model smollm2-135m-instruct-q4_1 --port 8080
            """
    )

    @Option(
        name: [.customLong("model"), .customShort("m")],
        help: "A registry id, org/repo[:QUANT], hf://org/repo/file.gguf, or a path to a .gguf file.")
    var model: String?

    @OptionGroup var server: ServerOptions
    @OptionGroup var hardware: HardwareOptions
    @Flag(help: "When no model is configured and there is no terminal to ask on, take the recommended one.")
    var yes = false

    @OptionGroup var store: StoreOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        var logger = Logger(label: "botticelli")
        logger.logLevel = global.verbose ? .debug : .info
        var engineConfiguration = EngineConfiguration()
        engineConfiguration.parallelSequences = server.parallel ?? 4
        engineConfiguration.contextSize = hardware.contextSize
        engineConfiguration.threads = hardware.threads
        engineConfiguration.model = hardware.modelOptions
        let modelStore = try store.makeStore()
        let reference = try model ?? chooseModel(store: modelStore)
        let local = try await ModelPreparation.prepare(
            reference, store: modelStore, contextSize: hardware.contextSize, force: hardware.force)
        let id = local.id
        StandardError.write("Loading \(local.path)...\n")
        let engine = try LlamaServingEngine(
            id: id, path: local.path, configuration: engineConfiguration, logger: logger)
        let configuration = server.configuration
        try await BotticelliApplication.run(
            provider: SingleModelProvider(engine: engine), configuration: configuration, logger: logger
        ) { port in
            let host = configuration.host == "0.0.0.0" ? "localhost" : configuration.host
            let url = "http://\(host):\(port)"
            StandardOutput().write(
                """
                Serving \(id) on \(url)
                Try: curl \(url)/v1/chat/completions -H 'Content-Type: application/json' \\
                       -d '{"messages":[{"role":"user","content":"Hello!"}]}'

                """)
        }
        engine.shutdown()
    }

    /// No model named: ask on the terminal, or take the recommendation with --yes, or say how to choose.
    private func chooseModel(store: ModelStore) throws -> String {
        let selection = ModelSelection(store: store, contextLength: UInt64(hardware.contextSize))
        if yes {
            guard let recommended = selection.recommended else { throw SelectionError.nothingFits }
            let spec = selection.options[recommended].model
            StandardError.write("No model configured; taking the recommended \(spec.id) (--yes)\n")
            return spec.id
        }
        guard Terminal.isInteractive else {
            throw SelectionError.noTerminal(recommended: selection.recommended.map { selection.options[$0].model.id })
        }
        StandardOutput().write("No model configured.\n")
        return try selection.ask(read: { readLine() }, write: { StandardOutput().write($0) }).id
    }
}
