import Foundation

/// Chooses the configuration file: `--config`, then `$BOTTICELLI_CONFIG` (both must exist), then
/// `$XDG_CONFIG_HOME/botticelli/config.toml`, then `~/.config/botticelli/config.toml` (both optional).
public struct ConfigurationFileLocator: Sendable {
    public var environment: [String: String]
    public var homeDirectory: String
    /// Whether a path names an existing file (a test can replace it).
    public var fileExists: @Sendable (String) -> Bool

    public init(
        environment: [String: String], homeDirectory: String,
        fileExists: @escaping @Sendable (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.fileExists = fileExists
    }

    /// The chosen file. When `requireExisting` is false, a missing file named by `--config` or `BOTTICELLI_CONFIG` is
    /// returned with `exists` false instead of being an error (for commands that create it).
    public func locate(
        explicitPath: String?, requireExisting: Bool = true
    ) throws(ConfigurationError) -> ConfigurationFileLocation {
        if let explicitPath, !explicitPath.isEmpty {
            let path = PathExpansion.expandingTilde(explicitPath, homeDirectory: homeDirectory)
            let exists = fileExists(path)
            guard exists || !requireExisting else {
                throw ConfigurationError(
                    kind: .fileNotFound, origin: .flag(name: ConfigurationOverrides.FlagName.configurationFile),
                    detail: "configuration file not found: \(path); check the path, or create the file with "
                        + "`botticelli_server config init --config \(path)`")
            }
            return ConfigurationFileLocation(path: path, origin: .flag, exists: exists)
        }
        let variable = ConfigurationEnvironment.configurationFileVariable
        if let named = environment[variable], !named.isEmpty {
            let path = PathExpansion.expandingTilde(named, homeDirectory: homeDirectory)
            let exists = fileExists(path)
            guard exists || !requireExisting else {
                throw ConfigurationError(
                    kind: .fileNotFound, origin: .environment(variable: variable),
                    detail: "configuration file not found: \(path); fix or unset \(variable)")
            }
            return ConfigurationFileLocation(path: path, origin: .environment, exists: exists)
        }
        // The XDG base directory specification ignores a relative XDG_CONFIG_HOME.
        if let configHome = environment["XDG_CONFIG_HOME"], configHome.hasPrefix("/") {
            let path = Self.join(configHome, "botticelli/config.toml")
            return ConfigurationFileLocation(path: path, origin: .xdgConfigHome, exists: fileExists(path))
        }
        let path = Self.join(homeDirectory, ".config/botticelli/config.toml")
        return ConfigurationFileLocation(path: path, origin: .home, exists: fileExists(path))
    }

    private static func join(_ directory: String, _ relative: String) -> String {
        directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }
}
