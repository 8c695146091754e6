import Testing

@testable import BotticelliCommands

@Suite("configuration file: unknown keys and syntax errors")
struct UnknownKeyTests {
    static let serverKeys =
        "[server] accepts: host, port, api_key, parallel, ctx_size, threads, cors_origins, keep_alive, max_models"
    static let modelKeys = "[model] accepts: spec, hf_repo, filename, tokenizer_repo, revision, cache_dir"
    static let tables = "the file accepts the tables [model], [server] and [[models]]"
    static let entryKeys =
        "a [[models]] entry accepts: id, name, hf_repo, filename, quantization, size_bytes, min_ram_gb, "
        + "context_length, tokenizer_repo, description, use_cases, family, parameters, license, revision, sha256"

    @Test(
        "a misspelt key is an error with the nearest known key",
        arguments: [
            (
                "[server]\n\nctx_sise = 4096", 3,
                "unknown key `server.ctx_sise` (did you mean `ctx_size`?); " + serverKeys
            ),
            ("[server]\nprot = 1", 2, "unknown key `server.prot` (did you mean `port`?); " + serverKeys),
            ("[server]\nPort = 1", 2, "unknown key `server.Port` (did you mean `port`?); " + serverKeys),
            (
                "[server]\ncors-origins = []", 2,
                "unknown key `server.cors-origins` (did you mean `cors_origins`?); " + serverKeys
            ),
            (
                "[server]\n\"api key\" = \"k\"", 2,
                "unknown key `server.\"api key\"` (did you mean `api_key`?); " + serverKeys
            ),
            ("[server]\nverbose = true", 2, "unknown key `server.verbose`; " + serverKeys),
            ("[model]\nhf-repo = \"o/r\"", 2, "unknown key `model.hf-repo` (did you mean `hf_repo`?); " + modelKeys),
            ("[model]\nport = 1", 2, "unknown key `model.port` (did you mean `server.port`?); " + modelKeys),
            ("port = 8080", 1, "unknown key `port` (did you mean `server.port`?); " + tables),
            ("# x\n[servr]\nport = 1", 2, "unknown table `servr` (did you mean `server`?); " + tables),
            ("[[modles]]\nid = \"x\"", 1, "unknown table `modles` (did you mean `models`?); " + tables),
            ("[logging]\nlevel = \"debug\"", 1, "unknown table `logging`; " + tables),
            ("[server.tls]\ncert = \"c\"", 1, "unknown key `server.tls`; " + serverKeys),
            (
                CustomModelEntryTests.entry("")
                    + "\n[[models]]\nid = \"y\"\nhf_repo = \"o/y\"\nfilename = \"y.gguf\"\nfamly = \"llama\"",
                11, "unknown key `models[1].famly` (did you mean `family`?); " + entryKeys
            ),
            (
                CustomModelEntryTests.entry("sha265 = \"\""), 5,
                "unknown key `models[0].sha265` (did you mean `sha256`?); " + entryKeys
            ),
        ])
    func unknownKey(document: String, line: Int, message: String) throws {
        let error = try #require(ConfigurationFixtures.error(document))
        #expect(error.kind == .unknownKey)
        #expect(error.description == "\(ConfigurationFixtures.path):\(line): \(message)")
    }

    @Test("a syntax error carries TOMLKit's line and column")
    func syntaxError() throws {
        let error = try #require(ConfigurationFixtures.error("[server]\nhost = \"h\"\nport = = 1\n"))
        #expect(error.kind == .syntax)
        guard case .file(let path, let line, let column) = error.origin else {
            Issue.record("no file origin: \(error)")
            return
        }
        #expect(path == ConfigurationFixtures.path)
        #expect(line == 3)
        #expect(column == 8)
        #expect(error.description.hasPrefix("\(ConfigurationFixtures.path):3:8: TOML syntax error: "))
    }

    @Test("a duplicate key and an unterminated string are syntax errors on their line")
    func otherSyntaxErrors() throws {
        let duplicate = try #require(ConfigurationFixtures.error("[server]\nport = 1\nport = 2\n"))
        #expect(duplicate.kind == .syntax)
        #expect(duplicate.line == 3)
        let unterminated = try #require(ConfigurationFixtures.error("# c\n[model]\nspec = \"phi-3\n"))
        #expect(unterminated.kind == .syntax)
        #expect(unterminated.line == 3)
    }

    @Test("edit distance counts swaps of neighbours as one edit")
    func distance() {
        #expect(KeySuggestion.distance("prot", "port") == 1)
        #expect(KeySuggestion.distance("ctx_sise", "ctx_size") == 1)
        #expect(KeySuggestion.distance("", "port") == 4)
        #expect(KeySuggestion.distance("kitten", "sitting") == 3)
        #expect(KeySuggestion.nearest(to: "context", in: ConfigurationSchema.serverKeys) == nil)
    }
}
