import ArgumentParser

/// `models`: the registry and the models on this machine.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, inspect, download and remove models.",
        subcommands: [
            ModelsListCommand.self, ModelsInfoCommand.self, ModelsDownloadCommand.self, ModelsRemoveCommand.self,
            ModelsSelectCommand.self, ModelsImportCommand.self,
        ],
        defaultSubcommand: ModelsListCommand.self
    )
}
