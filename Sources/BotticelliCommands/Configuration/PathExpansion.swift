/// `~` expansion with an injected home directory, so that tests never depend on the real one.
public enum PathExpansion {
    /// `~` and `~/…` become the home directory; `~user` and every other path are returned unchanged.
    public static func expandingTilde(_ path: String, homeDirectory: String) -> String {
        var home = homeDirectory
        while home.count > 1, home.hasSuffix("/") { home.removeLast() }
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }
}
