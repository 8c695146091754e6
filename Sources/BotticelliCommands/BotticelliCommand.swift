import ArgumentParser
import BotticelliCore

/// The root command: `botticelli_server <subcommand>`.
///
/// The first version's flags still work on the root: `--list` lists the models, and `--model <id>` (with
/// `--port`, `--download-dir`) starts the server.
public struct BotticelliCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: Botticelli.executableName,
        abstract: "Download, manage and serve local LLMs in GGUF format, with llama.cpp embedded.",
        discussion: """
            Start here: `botticelli_server start` picks a model that fits this machine, downloads it and serves it.
            The first version's flags keep working: --list, --model <id>, --download-dir <dir>, --port <n>.
            """,
        version: Botticelli.version,
        subcommands: [
            StartCommand.self, RunCommand.self, ModelsCommand.self, CacheCommand.self, SystemCommand.self,
            BenchCommand.self, CompletionsCommand.self,
        ]
    )

    @Flag(name: .customLong("list"), help: "List the models (as `models list`).")
    var list = false

    @Option(name: .customLong("model"), help: "Start the server with this model (as `start --model`).")
    var model: String?

    @Option(name: .customLong("download-dir"), help: "The model cache (as --cache-dir).")
    var downloadDirectory: String?

    @Option(name: .customLong("port"), help: "The port to serve on (as `start --port`).")
    var port: Int?

    public init() {}

    public func run() async throws {
        let cache = downloadDirectory.map { ["--cache-dir", $0] } ?? []
        if list {
            var command = try ModelsListCommand.parse(cache)
            try command.run()
            return
        }
        guard model != nil || port != nil || downloadDirectory != nil else {
            throw CleanExit.helpRequest(self)
        }
        let arguments = (model.map { ["--model", $0] } ?? []) + (port.map { ["--port", String($0)] } ?? []) + cache
        var start = try StartCommand.parse(arguments)
        try await start.run()
    }
}
