/// The configuration file chosen by the lookup order, and whether it exists.
public struct ConfigurationFileLocation: Sendable, Hashable {
    /// Why this path was chosen.
    public enum Origin: String, Sendable, Hashable {
        /// `--config <file>`.
        case flag
        /// `$BOTTICELLI_CONFIG`.
        case environment
        /// `$XDG_CONFIG_HOME/botticelli/config.toml`.
        case xdgConfigHome
        /// `~/.config/botticelli/config.toml`.
        case home
    }

    public var path: String
    public var origin: Origin
    /// False for a default location with no file: the defaults apply.
    public var exists: Bool

    public init(path: String, origin: Origin, exists: Bool) {
        self.path = path
        self.origin = origin
        self.exists = exists
    }
}
