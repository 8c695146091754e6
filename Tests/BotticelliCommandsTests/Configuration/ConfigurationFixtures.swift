import Foundation

@testable import BotticelliCommands

/// Shared helpers: parsing text as a file, and temporary directories that stand for a home directory.
enum ConfigurationFixtures {
    static let path = "/etc/botticelli/config.toml"

    static func parse(_ text: String, path: String = path) throws(ConfigurationError) -> ConfigurationFileContents {
        var parser = ConfigurationFileParser(path: path, text: text)
        return try parser.parse()
    }

    /// The error a text gives, or nil when it parses.
    static func error(_ text: String) -> ConfigurationError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }
}

/// A fresh directory under the system's temporary folder, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "botticelli-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` at `relative` (folders created) and returns the full path.
    @discardableResult
    func write(_ text: String, to relative: String) throws -> String {
        let full = path + "/" + relative
        let url = URL(fileURLWithPath: full)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return full
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
