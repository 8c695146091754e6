/// Where a configuration value came from, so that `config show` can say why a setting has its value.
public enum ConfigurationSource: Sendable, Hashable, CustomStringConvertible {
    /// No flag, environment variable or file set it.
    case `default`
    /// A line of a configuration file (1-based).
    case file(path: String, line: Int?)
    /// A `BOTTICELLI_*` environment variable.
    case environment(variable: String)
    /// A command-line flag, such as `--port`.
    case flag(name: String)

    public var description: String {
        switch self {
        case .default: "default"
        case .file(let path, let line?): "file \(path):\(line)"
        case .file(let path, nil): "file \(path)"
        case .environment(let variable): "env \(variable)"
        case .flag(let name): "flag \(name)"
        }
    }
}
