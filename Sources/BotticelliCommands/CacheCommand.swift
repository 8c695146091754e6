import ArgumentParser

/// `cache`: what the model cache holds, and cleaning it.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List the model cache, or remove what nothing uses.",
        subcommands: [CacheListCommand.self, CachePruneCommand.self],
        defaultSubcommand: CacheListCommand.self
    )
}
