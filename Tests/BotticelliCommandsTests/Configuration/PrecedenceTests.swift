import Testing

@testable import BotticelliCommands

/// One key set at every level: the file's line, the variable, the flag, and the value each gives.
struct PrecedenceCase: Sendable, CustomTestStringConvertible {
    let key: String
    /// `name = value` under the key's table.
    let fileLine: String
    let fileValue: String
    let variable: String
    let variableValue: String
    let environmentValue: String
    let flag: String
    let setFlag: @Sendable (inout ConfigurationOverrides) -> Void
    let flagValue: String
    let defaultValue: String
    /// The effective value as text (secrets unmasked).
    let read: @Sendable (EffectiveConfiguration) -> String

    var testDescription: String { key }
    var table: String { String(key.prefix { $0 != "." }) }
}

@Suite("precedence: flags over environment over file over defaults")
struct PrecedenceTests {
    static let home = "/home/tester"

    static let cases: [PrecedenceCase] = [
        .init(
            key: "model.spec", fileLine: "spec = \"file-model\"", fileValue: "file-model", variable: "BOTTICELLI_MODEL",
            variableValue: "org/repo:Q8_0", environmentValue: "org/repo:Q8_0", flag: "--model",
            setFlag: { $0.model = "./flag.gguf" }, flagValue: "./flag.gguf", defaultValue: "nil",
            read: { $0.modelSpec.value ?? "nil" }),
        .init(
            key: "model.cache_dir", fileLine: "cache_dir = \"~/file-cache\"", fileValue: "\(home)/file-cache",
            variable: "BOTTICELLI_CACHE_DIR", variableValue: "~/env-cache", environmentValue: "\(home)/env-cache",
            flag: "--cache-dir", setFlag: { $0.cacheDirectory = "/flag/cache" }, flagValue: "/flag/cache",
            defaultValue: "nil", read: { $0.cacheDirectory.value ?? "nil" }),
        .init(
            key: "server.host", fileLine: "host = \"10.0.0.1\"", fileValue: "10.0.0.1", variable: "BOTTICELLI_HOST",
            variableValue: "10.0.0.2", environmentValue: "10.0.0.2", flag: "--host",
            setFlag: { $0.host = "10.0.0.3" }, flagValue: "10.0.0.3", defaultValue: "127.0.0.1", read: { $0.host.value }
        ),
        .init(
            key: "server.port", fileLine: "port = 9001", fileValue: "9001", variable: "BOTTICELLI_PORT",
            variableValue: "9002", environmentValue: "9002", flag: "--port", setFlag: { $0.port = 9003 },
            flagValue: "9003", defaultValue: "8080", read: { "\($0.port.value)" }),
        .init(
            key: "server.api_key", fileLine: "api_key = \"file-key\"", fileValue: "file-key",
            variable: "BOTTICELLI_API_KEY", variableValue: "env-key", environmentValue: "env-key", flag: "--api-key",
            setFlag: { $0.apiKey = "flag-key" }, flagValue: "flag-key", defaultValue: "nil",
            read: { $0.apiKey.value ?? "nil" }),
        .init(
            key: "server.parallel", fileLine: "parallel = 2", fileValue: "2", variable: "BOTTICELLI_PARALLEL",
            variableValue: "3", environmentValue: "3", flag: "--parallel", setFlag: { $0.parallel = 4 },
            flagValue: "4", defaultValue: "nil", read: { $0.parallel.value.map { "\($0)" } ?? "nil" }),
        .init(
            key: "server.ctx_size", fileLine: "ctx_size = 1024", fileValue: "1024", variable: "BOTTICELLI_CTX_SIZE",
            variableValue: "2048", environmentValue: "2048", flag: "--ctx-size", setFlag: { $0.contextSize = 4096 },
            flagValue: "4096", defaultValue: "0", read: { "\($0.contextSize.value)" }),
        .init(
            key: "server.max_models", fileLine: "max_models = 2", fileValue: "2", variable: "BOTTICELLI_MAX_MODELS",
            variableValue: "4", environmentValue: "4", flag: "--max-models", setFlag: { $0.maximumModels = 5 },
            flagValue: "5", defaultValue: "3", read: { "\($0.maximumModels.value)" }),
        .init(
            key: "server.threads", fileLine: "threads = 2", fileValue: "2", variable: "BOTTICELLI_THREADS",
            variableValue: "3", environmentValue: "3", flag: "--threads", setFlag: { $0.threads = 4 },
            flagValue: "4", defaultValue: "nil", read: { $0.threads.value.map { "\($0)" } ?? "nil" }),
        .init(
            key: "server.cors_origins", fileLine: "cors_origins = [\"http://file\"]", fileValue: "http://file",
            variable: "BOTTICELLI_CORS_ORIGINS", variableValue: "http://a, http://b,",
            environmentValue: "http://a|http://b",
            flag: "--cors-origin", setFlag: { $0.corsOrigins = ["*"] }, flagValue: "*", defaultValue: "",
            read: { $0.corsOrigins.value.joined(separator: "|") }),
        .init(
            key: "server.keep_alive", fileLine: "keep_alive = \"10m\"", fileValue: "10m",
            variable: "BOTTICELLI_KEEP_ALIVE", variableValue: "-1", environmentValue: "-1", flag: "--keep-alive",
            setFlag: { $0.keepAlive = "0" }, flagValue: "0", defaultValue: "5m",
            read: { $0.keepAlive.value.description }
        ),
    ]

    @Test("each key: default, then file, then environment, then flag", arguments: cases)
    func precedence(_ testCase: PrecedenceCase) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = directory.path
        func load(file: Bool, environment: Bool, flag: Bool) throws -> EffectiveConfiguration {
            let configuration = "\(home)/config.toml"
            let text = file ? "# test\n[\(testCase.table)]\n\(testCase.fileLine)\n" : "# empty\n"
            try directory.write(text, to: "config.toml")
            var overrides = ConfigurationOverrides(configurationFile: configuration)
            if flag { testCase.setFlag(&overrides) }
            let variables = environment ? [testCase.variable: testCase.variableValue] : [:]
            return try ConfigurationLoader(environment: variables, homeDirectory: Self.home).load(overrides)
        }
        func source(_ configuration: EffectiveConfiguration) -> ConfigurationSource? {
            configuration.entries.first { $0.key == testCase.key }?.source
        }

        let defaults = try load(file: false, environment: false, flag: false)
        #expect(testCase.read(defaults) == testCase.defaultValue)
        #expect(source(defaults) == .default)

        let fromFile = try load(file: true, environment: false, flag: false)
        #expect(testCase.read(fromFile) == testCase.fileValue)
        #expect(source(fromFile) == .file(path: "\(home)/config.toml", line: 3))

        let fromEnvironment = try load(file: true, environment: true, flag: false)
        #expect(testCase.read(fromEnvironment) == testCase.environmentValue)
        #expect(source(fromEnvironment) == .environment(variable: testCase.variable))

        let fromFlag = try load(file: true, environment: true, flag: true)
        #expect(testCase.read(fromFlag) == testCase.flagValue)
        #expect(source(fromFlag) == .flag(name: testCase.flag))
    }

    @Test("every [model] and [server] key with a variable is covered by the table above")
    func coverage() {
        let covered = Set(Self.cases.map(\.key))
        #expect(covered.count == ConfigurationSchema.environmentVariables.count)
        #expect(Set(Self.cases.map(\.variable)) == Set(ConfigurationSchema.environmentVariables))
    }

    @Test("the model keys come as a group from the highest source that names a model")
    func modelGroup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(
            "[model]\nhf_repo = \"o/r\"\nfilename = \"f.gguf\"\nrevision = \"main\"\ncache_dir = \"/c\"\n",
            to: "config.toml")
        let overrides = ConfigurationOverrides(configurationFile: path)
        let fromFile = try ConfigurationLoader(environment: [:], homeDirectory: Self.home).load(overrides)
        #expect(fromFile.model == .repository(hfRepo: "o/r", filename: "f.gguf", tokenizerRepo: nil, revision: "main"))

        let environment = ["BOTTICELLI_MODEL": "phi-3"]
        let fromEnvironment = try ConfigurationLoader(environment: environment, homeDirectory: Self.home).load(
            overrides)
        #expect(fromEnvironment.model == .reference("phi-3"))
        #expect(fromEnvironment.modelRepository == ConfiguredValue(nil, source: .default))
        #expect(fromEnvironment.modelRevision == ConfiguredValue(nil, source: .default))
        // The cache directory is not part of the model's choice.
        #expect(fromEnvironment.cacheDirectory == ConfiguredValue("/c", source: .file(path: path, line: 5)))
    }

    @Test("an empty variable counts as unset")
    func emptyVariable() throws {
        let configuration = try ConfigurationLoader(
            environment: ["BOTTICELLI_PORT": "", "BOTTICELLI_API_KEY": "", "XDG_CONFIG_HOME": "/nonexistent"],
            homeDirectory: Self.home
        ).load()
        #expect(configuration.port == ConfiguredValue(8080, source: .default))
        #expect(configuration.apiKey == ConfiguredValue(nil, source: .default))
    }
}
