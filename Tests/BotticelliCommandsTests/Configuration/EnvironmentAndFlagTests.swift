import Testing

@testable import BotticelliCommands

@Suite("environment variables and flags are checked with the file's rules")
struct EnvironmentAndFlagTests {
    /// A loader that finds no file: XDG_CONFIG_HOME points nowhere.
    static func load(
        _ environment: [String: String], _ overrides: ConfigurationOverrides = ConfigurationOverrides()
    ) throws(ConfigurationError) -> EffectiveConfiguration {
        var variables = environment
        variables["XDG_CONFIG_HOME"] = "/nonexistent-botticelli"
        return try ConfigurationLoader(environment: variables, homeDirectory: "/home/tester").load(overrides)
    }

    static func error(_ environment: [String: String], _ overrides: ConfigurationOverrides = .init()) -> String? {
        do {
            _ = try load(environment, overrides)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(
        "a bad variable is an error that names it",
        arguments: [
            (
                "BOTTICELLI_PORT", "abc",
                "`server.port` must be an integer from 0 to 65535 (0 picks a free port), got \"abc\""
            ),
            (
                "BOTTICELLI_PORT", "65536",
                "`server.port` must be an integer from 0 to 65535 (0 picks a free port), got \"65536\""
            ),
            ("BOTTICELLI_PARALLEL", "0", "`server.parallel` must be an integer from 1 to 256, got \"0\""),
            (
                "BOTTICELLI_CTX_SIZE", "128",
                "`server.ctx_size` must be 0 (the model's own context length) or an integer of at least 256, "
                    + "got \"128\""
            ),
            ("BOTTICELLI_THREADS", "many", "`server.threads` must be an integer from 1 to 1024, got \"many\""),
            (
                "BOTTICELLI_KEEP_ALIVE", "soon",
                "`server.keep_alive` must be \(ModelKeepAlive.requirement), got \"soon\""
            ),
            (
                "BOTTICELLI_HOST", "a host",
                "`server.host` must be a host name or IP address, such as 127.0.0.1 or 0.0.0.0, got \"a host\""
            ),
            (
                "BOTTICELLI_CACHE_DIR", "   ",
                "`model.cache_dir` must be a directory path (\"~\" stands for your home directory), got \"   \""
            ),
        ])
    func badVariable(variable: String, value: String, message: String) {
        #expect(Self.error([variable: value]) == "environment variable \(variable): \(message)")
    }

    @Test("comma-separated origins are trimmed and empty parts dropped")
    func corsList() throws {
        let configuration = try Self.load(["BOTTICELLI_CORS_ORIGINS": " http://a ,, http://b "])
        #expect(configuration.corsOrigins.value == ["http://a", "http://b"])
    }

    @Test(
        "a bad flag is an error that names it",
        arguments: [
            (
                ConfigurationOverrides(port: 70000),
                "--port: `server.port` must be an integer from 0 to 65535 (0 picks a free port), got 70000"
            ),
            (
                ConfigurationOverrides(parallel: 300),
                "--parallel: `server.parallel` must be an integer from 1 to 256, got 300"
            ),
            (
                ConfigurationOverrides(keepAlive: "later"),
                "--keep-alive: `server.keep_alive` must be \(ModelKeepAlive.requirement), got \"later\""
            ),
            (
                ConfigurationOverrides(apiKey: ""), "--api-key: `server.api_key` must be a non-empty string, got \"\""
            ),
            (
                ConfigurationOverrides(corsOrigins: ["ok", ""]),
                "--cors-origin: `server.cors_origins` must be an array of non-empty strings, got [\"ok\", \"\"]"
            ),
        ])
    func badFlag(overrides: ConfigurationOverrides, message: String) {
        #expect(Self.error([:], overrides) == message)
    }

    @Test("a flag's cache directory has ~ expanded with the injected home")
    func flagTilde() throws {
        let configuration = try Self.load([:], ConfigurationOverrides(cacheDirectory: "~/models"))
        #expect(configuration.cacheDirectory.value == "/home/tester/models")
    }

    @Test("~ expansion")
    func tilde() {
        #expect(PathExpansion.expandingTilde("~", homeDirectory: "/home/u") == "/home/u")
        #expect(PathExpansion.expandingTilde("~/a/b", homeDirectory: "/home/u/") == "/home/u/a/b")
        #expect(PathExpansion.expandingTilde("~other/a", homeDirectory: "/home/u") == "~other/a")
        #expect(PathExpansion.expandingTilde("/abs/~/x", homeDirectory: "/home/u") == "/abs/~/x")
        #expect(PathExpansion.expandingTilde("rel/x", homeDirectory: "/home/u") == "rel/x")
    }
}
