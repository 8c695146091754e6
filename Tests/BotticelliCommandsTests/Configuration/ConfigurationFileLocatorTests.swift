import Foundation
import Testing

@testable import BotticelliCommands

@Suite("configuration file lookup order")
struct ConfigurationFileLocatorTests {
    @Test("--config wins over everything, and must exist")
    func explicitPath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let explicit = try directory.write("", to: "explicit.toml")
        let named = try directory.write("", to: "named.toml")
        let loader = ConfigurationLoader(
            environment: ["BOTTICELLI_CONFIG": named, "XDG_CONFIG_HOME": directory.path], homeDirectory: directory.path)
        #expect(
            try loader.locateFile(explicitPath: explicit)
                == ConfigurationFileLocation(path: explicit, origin: .flag, exists: true))
        let missing = directory.path + "/missing.toml"
        #expect(throws: ConfigurationError.self) { try loader.locateFile(explicitPath: missing) }
        do {
            _ = try loader.locateFile(explicitPath: missing)
        } catch {
            #expect(error.kind == .fileNotFound)
            #expect(
                error.description
                    == "--config: configuration file not found: \(missing); check the path, or create the file with "
                    + "`botticelli_server config init --config \(missing)`")
        }
    }

    @Test("for commands that create the file, a missing --config or BOTTICELLI_CONFIG file is no error")
    func creatingCommands() throws {
        let loader = ConfigurationLoader(
            environment: ["BOTTICELLI_CONFIG": "/nonexistent/env.toml"], homeDirectory: "/home/tester")
        #expect(
            try loader.locateFile(explicitPath: "~/new.toml", requireExisting: false)
                == ConfigurationFileLocation(path: "/home/tester/new.toml", origin: .flag, exists: false))
        #expect(
            try loader.locateFile(requireExisting: false)
                == ConfigurationFileLocation(path: "/nonexistent/env.toml", origin: .environment, exists: false))
    }

    @Test("--config with ~ is expanded with the injected home")
    func explicitTilde() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("", to: "c.toml")
        let loader = ConfigurationLoader(environment: [:], homeDirectory: directory.path)
        #expect(try loader.locateFile(explicitPath: "~/c.toml").path == path)
    }

    @Test("BOTTICELLI_CONFIG comes next, and must exist")
    func environmentVariable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let named = try directory.write("", to: "named.toml")
        try directory.write("", to: "xdg/botticelli/config.toml")
        let loader = ConfigurationLoader(
            environment: ["BOTTICELLI_CONFIG": "~/named.toml", "XDG_CONFIG_HOME": directory.path + "/xdg"],
            homeDirectory: directory.path)
        #expect(try loader.locateFile() == ConfigurationFileLocation(path: named, origin: .environment, exists: true))

        let missing = ConfigurationLoader(
            environment: ["BOTTICELLI_CONFIG": "/nonexistent/c.toml"], homeDirectory: directory.path)
        do {
            _ = try missing.locateFile()
            Issue.record("a missing BOTTICELLI_CONFIG file was accepted")
        } catch {
            #expect(
                error.description
                    == "environment variable BOTTICELLI_CONFIG: configuration file not found: /nonexistent/c.toml; "
                    + "fix or unset BOTTICELLI_CONFIG")
        }
    }

    @Test("then $XDG_CONFIG_HOME/botticelli/config.toml, present or not")
    func xdgConfigHome() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let xdg = directory.path + "/xdg"
        let loader = ConfigurationLoader(environment: ["XDG_CONFIG_HOME": xdg], homeDirectory: directory.path)
        let expected = xdg + "/botticelli/config.toml"
        #expect(
            try loader.locateFile() == ConfigurationFileLocation(path: expected, origin: .xdgConfigHome, exists: false))
        try directory.write("[server]\nport = 1234\n", to: "xdg/botticelli/config.toml")
        #expect(try loader.locateFile().exists)
        let configuration = try loader.load()
        #expect(configuration.port == ConfiguredValue(1234, source: .file(path: expected, line: 2)))
    }

    @Test("a relative XDG_CONFIG_HOME is ignored, as the XDG specification says")
    func relativeXDG() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let loader = ConfigurationLoader(environment: ["XDG_CONFIG_HOME": "relative"], homeDirectory: directory.path)
        #expect(try loader.locateFile().origin == .home)
    }

    @Test("lastly ~/.config/botticelli/config.toml; absent means defaults")
    func homeDefault() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let loader = ConfigurationLoader(environment: [:], homeDirectory: directory.path)
        let expected = directory.path + "/.config/botticelli/config.toml"
        #expect(try loader.locateFile() == ConfigurationFileLocation(path: expected, origin: .home, exists: false))
        let defaults = try loader.load()
        #expect(defaults.host == ConfiguredValue("127.0.0.1", source: .default))
        #expect(defaults.model == nil)
        #expect(defaults.customModels.isEmpty)

        try directory.write("[model]\nspec = \"phi-3\"\n", to: ".config/botticelli/config.toml")
        #expect(try loader.load().model == .reference("phi-3"))
    }

    @Test("a file that exists but is broken is an error, even when flags override its keys")
    func brokenFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("[server]\nport = \"x\"\n", to: "c.toml")
        let loader = ConfigurationLoader(environment: [:], homeDirectory: directory.path)
        #expect(throws: ConfigurationError.self) {
            try loader.load(ConfigurationOverrides(configurationFile: path, port: 1))
        }
        try directory.write("[server]\nport = 1\n\u{FF}", to: "c.toml")
        try Data([0x5B, 0xFF, 0x5D]).write(to: URL(fileURLWithPath: path))
        do {
            _ = try loader.load(ConfigurationOverrides(configurationFile: path))
            Issue.record("a file that is not UTF-8 was accepted")
        } catch {
            #expect(error.kind == .unreadableFile)
        }
    }
}
