import ArgumentParser

/// `config`: the configuration file and the settings in effect.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the effective configuration, write a commented template, or print the file's path.",
        subcommands: [ConfigShowCommand.self, ConfigInitCommand.self, ConfigPathCommand.self],
        defaultSubcommand: ConfigShowCommand.self
    )
}

/// `config show`: every setting, its value, and where it came from (flag, environment, file line, default).
struct ConfigShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the effective configuration and where each value came from.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let settings = try store.configuration()
        StandardOutput().write(
            output.json ? ConfigurationRenderer.json(settings) + "\n" : ConfigurationRenderer.text(settings))
    }
}

/// `config init`: a commented template with every key and its default.
struct ConfigInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a commented configuration template (never over an existing file).")

    @Option(name: .customLong("config"), help: "Where to write it (default: the lookup order's file).")
    var configurationFile: String?

    @Flag(help: "Overwrite an existing file.")
    var force = false

    func run() throws {
        let location = try ConfigurationLoader.forCurrentProcess()
            .locateFile(explicitPath: configurationFile, requireExisting: false)
        try ConfigurationTemplate.write(to: location.path, force: force)
        StandardOutput().write("Wrote \(location.path)\n")
    }
}

/// `config path`: which file is read, and whether it exists.
struct ConfigPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path", abstract: "Print the configuration file's path (and whether it exists).")

    @Option(name: .customLong("config"), help: "A file to use instead of the lookup order's.")
    var configurationFile: String?

    func run() throws {
        let location = try ConfigurationLoader.forCurrentProcess()
            .locateFile(explicitPath: configurationFile, requireExisting: false)
        let state = location.exists ? "" : " (does not exist yet; `botticelli_server config init` writes one)"
        StandardOutput().write("\(location.path)\(state)\n")
    }
}
