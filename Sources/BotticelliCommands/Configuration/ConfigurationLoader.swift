import Foundation

/// Finds, reads and checks the configuration, and combines it with the environment and the flags.
///
/// Precedence, per key: flags, then `BOTTICELLI_*` variables, then the file, then the defaults. The environment and
/// the home directory are injected, so that tests never read the real ones.
public struct ConfigurationLoader: Sendable {
    public var environment: [String: String]
    /// What `~` stands for.
    public var homeDirectory: String
    public var fileExists: @Sendable (String) -> Bool

    public init(
        environment: [String: String], homeDirectory: String,
        fileExists: @escaping @Sendable (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.fileExists = fileExists
    }

    /// A loader over this process's environment and home directory.
    public static func forCurrentProcess() -> ConfigurationLoader {
        ConfigurationLoader(environment: ProcessInfo.processInfo.environment, homeDirectory: NSHomeDirectory())
    }

    /// The file the lookup order chooses (for `config path`). When `requireExisting`, a file named by `--config` or
    /// `BOTTICELLI_CONFIG` must exist; `config init` and saving a model pass false, since they create the file.
    public func locateFile(
        explicitPath: String? = nil, requireExisting: Bool = true
    ) throws(ConfigurationError) -> ConfigurationFileLocation {
        try ConfigurationFileLocator(environment: environment, homeDirectory: homeDirectory, fileExists: fileExists)
            .locate(explicitPath: explicitPath, requireExisting: requireExisting)
    }

    /// The effective configuration.
    public func load(_ overrides: ConfigurationOverrides = ConfigurationOverrides()) throws(ConfigurationError)
        -> EffectiveConfiguration
    {
        let location = try locateFile(explicitPath: overrides.configurationFile)
        let flags = try overrides.layer()
        let variables = try ConfigurationEnvironment.layer(environment)
        let contents = location.exists ? try readFile(at: location.path) : ConfigurationFileContents()
        let layers = [flags, variables, contents.layer].map { $0.expandingTilde(homeDirectory: homeDirectory) }
        return EffectiveConfiguration(file: location, layers: layers, customModels: contents.customModels)
    }

    func readFile(at path: String) throws(ConfigurationError) -> ConfigurationFileContents {
        let text = try Self.readText(at: path)
        var parser = ConfigurationFileParser(path: path, text: text)
        return try parser.parse()
    }

    static func readText(at path: String) throws(ConfigurationError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(
                kind: .unreadableFile, origin: .file(path: path, line: nil, column: nil),
                detail: "cannot read the configuration file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(
                kind: .unreadableFile, origin: .file(path: path, line: nil, column: nil),
                detail: "the configuration file is not UTF-8 text")
        }
        return text
    }
}
