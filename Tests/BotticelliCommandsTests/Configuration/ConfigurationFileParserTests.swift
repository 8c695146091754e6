import Testing

@testable import BotticelliCommands

@Suite("configuration file: valid values")
struct ConfigurationFileParserTests {
    static let everyKey = """
        # Botticelli
        [model]
        spec = "mistral-7b-instruct-v0.3-q4"   # the default model
        cache_dir = "~/models"

        [server]
        host = "0.0.0.0"
        port = 9090
        api_key = "secret"
        parallel = 8
        ctx_size = 4096
        threads = 6
        cors_origins = ["http://a.example", "*"]
        keep_alive = "1h30m"
        """

    @Test("every [model] and [server] key is read with its line")
    func everyKey() throws {
        let layer = try ConfigurationFixtures.parse(Self.everyKey).layer
        let path = ConfigurationFixtures.path
        #expect(layer.modelSpec == ConfiguredValue("mistral-7b-instruct-v0.3-q4", source: .file(path: path, line: 3)))
        #expect(layer.cacheDirectory == ConfiguredValue("~/models", source: .file(path: path, line: 4)))
        #expect(layer.host == ConfiguredValue("0.0.0.0", source: .file(path: path, line: 7)))
        #expect(layer.port == ConfiguredValue(9090, source: .file(path: path, line: 8)))
        #expect(layer.apiKey == ConfiguredValue("secret", source: .file(path: path, line: 9)))
        #expect(layer.parallel == ConfiguredValue(8, source: .file(path: path, line: 10)))
        #expect(layer.contextSize == ConfiguredValue(4096, source: .file(path: path, line: 11)))
        #expect(layer.threads == ConfiguredValue(6, source: .file(path: path, line: 12)))
        #expect(layer.corsOrigins == ConfiguredValue(["http://a.example", "*"], source: .file(path: path, line: 13)))
        #expect(layer.keepAlive == ConfiguredValue(.seconds(5400), source: .file(path: path, line: 14)))
        #expect(layer.modelRepository == nil)
    }

    @Test("the repository form of [model]")
    func repositoryForm() throws {
        let layer = try ConfigurationFixtures.parse(
            """
            [model]
            hf_repo = "TheBloke/Mistral-7B-Instruct-v0.2-GGUF"
            filename = "sub/mistral-7b-instruct-v0.2.Q4_K_M.gguf"
            tokenizer_repo = "mistralai/Mistral-7B-Instruct-v0.2"
            revision = "main"
            """
        ).layer
        #expect(layer.modelRepository?.value == "TheBloke/Mistral-7B-Instruct-v0.2-GGUF")
        #expect(layer.modelFilename?.value == "sub/mistral-7b-instruct-v0.2.Q4_K_M.gguf")
        #expect(layer.modelTokenizerRepository?.value == "mistralai/Mistral-7B-Instruct-v0.2")
        #expect(layer.modelRevision?.source == .file(path: ConfigurationFixtures.path, line: 5))
        #expect(layer.modelSpec == nil)
    }

    @Test("model references of every form are accepted as spec")
    func specForms() throws {
        for spec in ["org/repo:Q4_K_M", "hf://org/repo/file.gguf", "./models/model.gguf", "/data/m.gguf", "phi-3"] {
            let layer = try ConfigurationFixtures.parse("[model]\nspec = \(TOMLText.quoted(spec))").layer
            #expect(layer.modelSpec?.value == spec)
        }
    }

    @Test("keep_alive as an integer: -1 forever, 0 at once, else seconds")
    func keepAliveIntegers() throws {
        let values: [(String, ModelKeepAlive)] = [("-1", .forever), ("0", .unloadImmediately), ("600", .seconds(600))]
        for (text, expected) in values {
            let layer = try ConfigurationFixtures.parse("[server]\nkeep_alive = \(text)").layer
            #expect(layer.keepAlive?.value == expected, "\(text)")
        }
    }

    @Test("port 0 and the bounds of each range are allowed")
    func bounds() throws {
        let layer = try ConfigurationFixtures.parse(
            "[server]\nport = 0\nparallel = 256\nctx_size = 256\nthreads = 1024\ncors_origins = []"
        ).layer
        #expect(layer.port?.value == 0)
        #expect(layer.parallel?.value == 256)
        #expect(layer.contextSize?.value == 256)
        #expect(layer.threads?.value == 1024)
        #expect(layer.corsOrigins?.value == [])
    }

    @Test("an empty file and empty tables set nothing")
    func empty() throws {
        #expect(try ConfigurationFixtures.parse("") == ConfigurationFileContents())
        #expect(try ConfigurationFixtures.parse("# only a comment\n[model]\n[server]\n") == ConfigurationFileContents())
    }

    @Test("settings in inline tables and dotted keys get the line of their key")
    func inlineAndDotted() throws {
        let contents = try ConfigurationFixtures.parse(
            """
            # dotted keys at the top
            server.port = 9000
            model = { spec = "phi-3", cache_dir = "/m" }
            """)
        let path = ConfigurationFixtures.path
        #expect(contents.layer.port == ConfiguredValue(9000, source: .file(path: path, line: 2)))
        #expect(contents.layer.modelSpec == ConfiguredValue("phi-3", source: .file(path: path, line: 3)))
    }
}
