/// Facts about this build of Botticelli.
public enum Botticelli {
    /// The program's version, shown by `--version` and the servers' version routes.
    public static let version = "0.1.0"
    /// The name of the executable.
    public static let executableName = "botticelli_server"
}
