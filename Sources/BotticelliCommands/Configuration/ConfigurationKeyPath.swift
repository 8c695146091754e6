/// A key's place in a TOML document, written as users read it: `server.port`, `models[1].filename`.
///
/// Indices count from 0, as in jq; the line number in every message removes any doubt about which entry is meant.
public struct ConfigurationKeyPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public init(keys: [String]) {
        self.components = keys.map { .key($0) }
    }

    public func appending(_ key: String) -> ConfigurationKeyPath {
        ConfigurationKeyPath(components + [.key(key)])
    }

    public func appending(index: Int) -> ConfigurationKeyPath {
        ConfigurationKeyPath(components + [.index(index)])
    }

    /// The path without its last component; nil for the root.
    var parent: ConfigurationKeyPath? {
        components.isEmpty ? nil : ConfigurationKeyPath(Array(components.dropLast()))
    }

    /// The last key's name, when the path ends with a key.
    var lastKey: String? {
        if case .key(let key)? = components.last { return key }
        return nil
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += Self.written(key)
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// A key as TOML would write it: bare when it can be, quoted otherwise.
    static func written(_ key: String) -> String {
        let bare = !key.isEmpty && key.unicodeScalars.allSatisfy { bareKeyCharacters.contains($0) }
        return bare ? key : TOMLText.quoted(key)
    }

    private static let bareKeyCharacters = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".unicodeScalars)
}
