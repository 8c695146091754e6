import ArgumentParser
import BotticelliCore
import BotticelliEngine
import BotticelliServer
import Foundation
import Logging

/// `start`: load a model and serve it over the OpenAI- and Ollama-compatible APIs.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Load a model and serve it over OpenAI- and Ollama-compatible HTTP APIs.",
        discussion: """
            Example: botticelli_server start --model ~/models/SmolLM2-135M-Instruct.Q4_1.gguf --port 8080
            """
    )

    @Option(name: .customLong("model"), help: "The model: a path to a .gguf file.")
    var model: String

    @OptionGroup var server: ServerOptions
    @OptionGroup var hardware: HardwareOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        var logger = Logger(label: "botticelli")
        logger.logLevel = global.verbose ? .debug : .info
        var engineConfiguration = EngineConfiguration()
        engineConfiguration.parallelSequences = server.parallel ?? 4
        engineConfiguration.contextSize = hardware.contextSize
        engineConfiguration.threads = hardware.threads
        engineConfiguration.model = hardware.modelOptions
        let path = (model as NSString).expandingTildeInPath
        let id = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        StandardError.write("Loading \(path)...\n")
        let engine = try LlamaServingEngine(id: id, path: path, configuration: engineConfiguration, logger: logger)
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
}
