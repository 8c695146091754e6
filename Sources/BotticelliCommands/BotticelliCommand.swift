import ArgumentParser
import BotticelliCore

/// The root command: `botticelli_server <subcommand>`.
public struct BotticelliCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: Botticelli.executableName,
        abstract: "Download, manage and serve local LLMs in GGUF format, with llama.cpp embedded.",
        version: Botticelli.version,
        subcommands: [
            StartCommand.self, RunCommand.self, ModelsCommand.self, CacheCommand.self, SystemCommand.self,
            BenchCommand.self,
        ]
    )

    public init() {}
}
