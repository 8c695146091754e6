import ArgumentParser
import BotticelliCore

/// The root command: `botticelli_server <subcommand>`.
///
/// The first version's flags still work on the root (see ``LegacyArguments``): `--list` lists the models, and
/// `--model <id>` (with `--port`, `--download-dir`) starts the server.
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
            ConfigCommand.self, BenchCommand.self, CompletionsCommand.self,
        ]
    )

    public init() {}
}
