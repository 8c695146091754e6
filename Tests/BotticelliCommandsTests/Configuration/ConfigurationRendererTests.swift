import Foundation
import Testing

@testable import BotticelliCommands

@Suite("config show: the table and JSON")
struct ConfigurationRendererTests {
    /// A file, a variable and a flag, each setting something.
    static func configuration(_ directory: TemporaryDirectory) throws -> EffectiveConfiguration {
        let path = try directory.write(
            """
            [model]
            spec = "phi-3"

            [server]
            api_key = "super-secret-key"
            cors_origins = ["http://a", "http://b"]

            [[models]]
            id = "mine"
            hf_repo = "o/mine"
            filename = "mine.gguf"
            min_ram_gb = 1.5
            """, to: "config.toml")
        let loader = ConfigurationLoader(environment: ["BOTTICELLI_PORT": "9000"], homeDirectory: directory.path)
        return try loader.load(ConfigurationOverrides(configurationFile: path, threads: 4))
    }

    @Test("one aligned row per key with its source; the API key is masked")
    func text() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = try Self.configuration(directory)
        let path = configuration.file.path
        let text = ConfigurationRenderer.text(configuration)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "configuration file: \(path) (from --config)")
        #expect(!text.contains("super-secret-key"))

        let rows = Array(lines[2...16])
        #expect(rows.first?.hasPrefix("KEY ") == true)
        let sourceColumn = try #require(rows.first?.range(of: "SOURCE")).lowerBound.utf16Offset(in: rows[0])
        let valueColumn = try #require(rows.first?.range(of: "VALUE")).lowerBound.utf16Offset(in: rows[0])
        /// The row's value and source cells, cut at the header's columns.
        func row(_ key: String) -> [String] {
            guard let line = rows.first(where: { $0.hasPrefix(key + " ") }) else { return [] }
            let characters = Array(line)
            return [
                String(characters[valueColumn..<sourceColumn]).trimmingCharacters(in: .whitespaces),
                String(characters[sourceColumn...]),
            ]
        }
        #expect(row("model.spec") == ["phi-3", "file \(path):2"])
        #expect(row("model.hf_repo") == ["(not set)", "default"])
        #expect(row("server.host") == ["127.0.0.1", "default"])
        #expect(row("server.port") == ["9000", "env BOTTICELLI_PORT"])
        #expect(row("server.api_key") == ["********", "file \(path):5"])
        #expect(row("server.parallel") == ["auto", "default"])
        #expect(row("server.ctx_size") == ["0 (the model's own)", "default"])
        #expect(row("server.threads") == ["4", "flag --threads"])
        #expect(row("server.cors_origins") == ["http://a, http://b", "file \(path):6"])
        #expect(row("server.keep_alive") == ["5m", "default"])
        #expect(lines.contains("custom models ([[models]]):"))
        #expect(lines.contains { $0.hasPrefix("mine ") && $0.hasSuffix("file \(path):8") && $0.contains("o/mine") })
    }

    @Test("a missing default file says the defaults apply")
    func missingFile() throws {
        let configuration = try ConfigurationLoader(environment: [:], homeDirectory: "/nonexistent-home").load()
        let first = ConfigurationRenderer.text(configuration).split(separator: "\n").first
        #expect(
            first == "configuration file: /nonexistent-home/.config/botticelli/config.toml (not found: defaults apply)")
    }

    @Test("JSON: typed values keyed by dotted key, each with its source; the API key is masked")
    func json() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = try Self.configuration(directory)
        let path = configuration.file.path
        let text = ConfigurationRenderer.json(configuration)
        #expect(!text.contains("super-secret-key"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let file = try #require(object["file"] as? [String: Any])
        #expect(file["path"] as? String == path)
        #expect(file["exists"] as? Bool == true)
        #expect(file["origin"] as? String == "flag")

        let settings = try #require(object["settings"] as? [String: [String: Any]])
        #expect(settings.count == 15)
        #expect(settings["server.port"]?["value"] as? Int == 9000)
        #expect(
            settings["server.port"]?["source"] as? [String: String]
                == ["kind": "environment", "variable": "BOTTICELLI_PORT"])
        #expect(settings["model.spec"]?["value"] as? String == "phi-3")
        let specSource = try #require(settings["model.spec"]?["source"] as? [String: Any])
        #expect(specSource["kind"] as? String == "file")
        #expect(specSource["line"] as? Int == 2)
        #expect(settings["server.api_key"]?["value"] as? String == "********")
        #expect(settings["server.parallel"]?["value"] is NSNull)
        #expect(settings["server.threads"]?["source"] as? [String: String] == ["kind": "flag", "flag": "--threads"])
        #expect(settings["server.cors_origins"]?["value"] as? [String] == ["http://a", "http://b"])
        #expect(settings["server.keep_alive"]?["source"] as? [String: String] == ["kind": "default"])

        let models = try #require(object["models"] as? [[String: Any]])
        #expect(models.count == 1)
        #expect(models.first?["id"] as? String == "mine")
        #expect(models.first?["min_ram_gb"] as? Double == 1.5)
        #expect(models.first?["size_bytes"] is NSNull)
    }
}
