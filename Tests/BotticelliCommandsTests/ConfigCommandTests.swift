import BotticelliTestSupport
import Foundation
import Testing

/// `config init | show | path` and configuration errors, through the real executable with a private
/// XDG_CONFIG_HOME, so the machine's own configuration never matters.
@Suite("config commands")
struct ConfigCommandTests {
    static func botticelli(_ arguments: [String], home: String, environment: [String: String] = [:]) throws
        -> ProcessResult
    {
        var variables = ["XDG_CONFIG_HOME": home, "BOTTICELLI_CONFIG": ""]
        for name in ["BOTTICELLI_MODEL", "BOTTICELLI_PORT", "BOTTICELLI_HOST", "BOTTICELLI_CACHE_DIR"] {
            variables[name] = ""
        }
        return try ProcessRunner.run(
            try Fixtures.botticelliBinary(), arguments, environment: variables.merging(environment) { $1 })
    }

    static func temporaryHome() -> String {
        NSTemporaryDirectory() + "botticelli-config-\(UUID().uuidString)"
    }

    @Test("path, init, show: the template is written once, and show names each value's source")
    func initShowPath() throws {
        let home = Self.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let file = home + "/botticelli/config.toml"
        let path = try Self.botticelli(["config", "path"], home: home)
        #expect(path.standardOutput.hasPrefix("\(file) (does not exist yet"))
        let written = try Self.botticelli(["config", "init"], home: home)
        #expect(written.status == 0, "\(written.standardError)")
        #expect(FileManager.default.fileExists(atPath: file))
        let again = try Self.botticelli(["config", "init"], home: home)
        #expect(again.status == 1)

        try "[server]\nport = 9123\n".write(toFile: file, atomically: true, encoding: .utf8)
        let show = try Self.botticelli(
            ["config", "show", "--json"], home: home, environment: ["BOTTICELLI_HOST": "0.0.0.0"])
        #expect(show.status == 0, "\(show.standardError)")
        let settings = try #require(
            try JSONSerialization.jsonObject(with: Data(show.standardOutput.utf8)) as? [String: Any])
        let values = try #require(settings["settings"] as? [String: [String: Any]])
        #expect(values["server.port"]?["value"] as? Int == 9123)
        #expect((values["server.port"]?["source"] as? [String: Any])?["line"] as? Int == 2)
        #expect((values["server.host"]?["source"] as? [String: Any])?["kind"] as? String == "environment")
        let table = try Self.botticelli(["config", "show"], home: home)
        #expect(table.standardOutput.contains("file \(file):2"))
        #expect(table.standardOutput.contains("default"))
    }

    @Test("a misspelt key stops every command with the file, the line and a suggestion")
    func misspeltKey() throws {
        let home = Self.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/botticelli", withIntermediateDirectories: true)
        let file = home + "/botticelli/config.toml"
        try "[server]\nport = 8080\nctx_sise = 4096\n".write(toFile: file, atomically: true, encoding: .utf8)
        for arguments in [["config", "show"], ["models", "list"], ["start"]] {
            let result = try Self.botticelli(arguments, home: home)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.standardError.contains("\(file):3"), "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("did you mean `ctx_size`?"), "\(arguments)")
        }
    }

    @Test("a custom [[models]] entry is listed with the registry")
    func customModelListed() throws {
        let home = Self.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/botticelli", withIntermediateDirectories: true)
        try """
        [[models]]
        id = "my-tiny-model"
        hf_repo = "someone/Tiny-GGUF"
        filename = "tiny-Q8_0.gguf"
        size_bytes = 1000000
        """.write(toFile: home + "/botticelli/config.toml", atomically: true, encoding: .utf8)
        let result = try Self.botticelli(["models", "info", "my-tiny-model"], home: home)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("someone/Tiny-GGUF"))
        #expect(result.standardOutput.contains("Q8_0"))
    }
}

/// `models select`, `completions` and `bench` argument checks, through the executable.
@Suite("select, completions, bench")
struct SelectCompletionsBenchTests {
    @Test("models select --yes saves the recommendation; without a terminal and --yes it says how to choose")
    func select() throws {
        let home = ConfigCommandTests.temporaryHome()
        let cache = home + "/hub"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let refused = try ConfigCommandTests.botticelli(["models", "select", "--cache-dir", cache], home: home)
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("there is no terminal to ask on"))
        let chosen = try ConfigCommandTests.botticelli(["models", "select", "--yes", "--cache-dir", cache], home: home)
        #expect(chosen.status == 0, "\(chosen.standardError)")
        let saved = try String(contentsOfFile: home + "/botticelli/config.toml", encoding: .utf8)
        let system = try ConfigCommandTests.botticelli(["system", "--json", "--cache-dir", cache], home: home)
        let report = try JSONSerialization.jsonObject(with: Data(system.standardOutput.utf8)) as? [String: Any]
        let recommended = try #require((report?["recommendation"] as? [String: Any])?["id"] as? String)
        #expect(saved.contains("spec = \"\(recommended)\""))
        #expect(chosen.standardOutput.contains("Selected \(recommended)."))
    }

    @Test("completion scripts for bash, zsh and fish name the subcommands; another shell is a usage error")
    func completions() throws {
        let home = ConfigCommandTests.temporaryHome()
        for shell in ["bash", "zsh", "fish"] {
            let script = try ConfigCommandTests.botticelli(["completions", shell], home: home)
            #expect(script.status == 0, "\(shell)")
            #expect(script.standardOutput.contains("models"), "\(shell)")
            #expect(script.standardOutput.contains("botticelli_server"), "\(shell)")
        }
        let unknown = try ConfigCommandTests.botticelli(["completions", "powershell"], home: home)
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("choose bash, zsh or fish"))
    }

    @Test("bench rejects bad widths and counts with exit 2", arguments: [["--widths", "0"], ["--generate", "1"]])
    func benchUsage(arguments: [String]) throws {
        let result = try ConfigCommandTests.botticelli(
            ["bench", "--model", "/nonexistent.gguf"] + arguments, home: ConfigCommandTests.temporaryHome())
        #expect(result.status == 2, "\(arguments): \(result.standardError)")
    }
}
