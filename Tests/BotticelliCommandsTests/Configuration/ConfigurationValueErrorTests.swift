import Testing

@testable import BotticelliCommands

/// A bad value, the table it sits in, and the exact message it must give.
struct InvalidValueCase: Sendable, CustomTestStringConvertible {
    let table: String
    let line: String
    let kind: ConfigurationError.Kind
    let message: String

    var testDescription: String { "[\(table)] \(line)" }

    /// The value on line 4, after a comment, a blank line and the table header.
    var document: String { "# settings\n\n[\(table)]\n\(line)\n" }
}

@Suite("configuration file: wrong types and bad values")
struct ConfigurationValueErrorTests {
    static let port = "`server.port` must be an integer from 0 to 65535 (0 picks a free port), got "
    static let host = "`server.host` must be a host name or IP address, such as 127.0.0.1 or 0.0.0.0, got "
    static let contextSize =
        "`server.ctx_size` must be 0 (the model's own context length) or an integer of at least 256, got "
    static let cors = "`server.cors_origins` must be an array of non-empty strings, got "
    static let keepAlive = "`server.keep_alive` must be \(ModelKeepAlive.requirement), got "
    static let spec =
        "`model.spec` must be a model reference: a registry id, owner/repo:QUANT, hf://owner/repo/file.gguf or a path "
        + "to a .gguf file, got "
    static let repository =
        "must be a Hugging Face repository written owner/name (letters, digits, '-', '_' and '.'), got "
    static let filename = "must be the path of a .gguf file inside the repository, relative and without \"..\", got "

    static let cases: [InvalidValueCase] = [
        .init(table: "server", line: "port = 70000", kind: .invalidValue, message: port + "70000"),
        .init(table: "server", line: "port = -1", kind: .invalidValue, message: port + "-1"),
        .init(table: "server", line: "port = \"8080\"", kind: .wrongType, message: port + "a string (\"8080\")"),
        .init(table: "server", line: "port = 80.5", kind: .wrongType, message: port + "a floating-point number (80.5)"),
        .init(table: "server", line: "host = \"\"", kind: .invalidValue, message: host + "\"\""),
        .init(table: "server", line: "host = \"my host\"", kind: .invalidValue, message: host + "\"my host\""),
        .init(table: "server", line: "host = 1", kind: .wrongType, message: host + "an integer (1)"),
        .init(
            table: "server", line: "api_key = \"\"", kind: .invalidValue,
            message: "`server.api_key` must be a non-empty string, got \"\""),
        .init(
            table: "server", line: "api_key = true", kind: .wrongType,
            message: "`server.api_key` must be a non-empty string, got a boolean (true)"),
        .init(
            table: "server", line: "parallel = 0", kind: .invalidValue,
            message: "`server.parallel` must be an integer from 1 to 256, got 0"),
        .init(
            table: "server", line: "parallel = 257", kind: .invalidValue,
            message: "`server.parallel` must be an integer from 1 to 256, got 257"),
        .init(
            table: "server", line: "max_models = 0", kind: .invalidValue,
            message: "`server.max_models` must be an integer from 1 to 64, got 0"),
        .init(table: "server", line: "ctx_size = 100", kind: .invalidValue, message: contextSize + "100"),
        .init(table: "server", line: "ctx_size = -5", kind: .invalidValue, message: contextSize + "-5"),
        .init(
            table: "server", line: "ctx_size = \"4k\"", kind: .wrongType, message: contextSize + "a string (\"4k\")"),
        .init(
            table: "server", line: "threads = 0", kind: .invalidValue,
            message: "`server.threads` must be an integer from 1 to 1024, got 0"),
        .init(
            table: "server", line: "threads = 2000", kind: .invalidValue,
            message: "`server.threads` must be an integer from 1 to 1024, got 2000"),
        .init(table: "server", line: "cors_origins = \"*\"", kind: .wrongType, message: cors + "a string (\"*\")"),
        .init(
            table: "server", line: "cors_origins = [\"a\", 1]", kind: .wrongType,
            message: cors + "an array ([\"a\", 1])"),
        .init(table: "server", line: "cors_origins = [\"\"]", kind: .invalidValue, message: cors + "[\"\"]"),
        .init(
            table: "server", line: "keep_alive = \"5 minutes\"", kind: .invalidValue,
            message: keepAlive + "\"5 minutes\""),
        .init(
            table: "server", line: "keep_alive = 1.5", kind: .wrongType,
            message: keepAlive + "a floating-point number (1.5)"),
        .init(
            table: "server", line: "keep_alive = 1979-05-27", kind: .wrongType, message: keepAlive + "a date"),
        .init(table: "model", line: "spec = \"\"", kind: .invalidValue, message: spec + "\"\""),
        .init(table: "model", line: "spec = 3", kind: .wrongType, message: spec + "an integer (3)"),
        .init(
            table: "model", line: "tokenizer_repo = \"a/b/c\"", kind: .invalidValue,
            message: "`model.tokenizer_repo` " + repository + "\"a/b/c\""),
        .init(
            table: "model", line: "cache_dir = \"\"", kind: .invalidValue,
            message: "`model.cache_dir` must be a directory path (\"~\" stands for your home directory), got \"\""),
        .init(
            table: "model", line: "cache_dir = 5", kind: .wrongType,
            message: "`model.cache_dir` must be a directory path (\"~\" stands for your home directory), got an "
                + "integer (5)"),
    ]

    @Test("each bad value names the file, the line, the key and what is allowed", arguments: cases)
    func badValue(_ testCase: InvalidValueCase) throws {
        let error = try #require(ConfigurationFixtures.error(testCase.document))
        #expect(error.kind == testCase.kind)
        #expect(error.description == "\(ConfigurationFixtures.path):4: \(testCase.message)")
        #expect(error.line == 4)
    }

    @Test(
        "bad [model] repository values",
        arguments: [
            ("hf_repo = \"noslash\"\nfilename = \"f.gguf\"", 2, "`model.hf_repo` " + repository + "\"noslash\""),
            ("hf_repo = \"o/r\"\nfilename = \"../x.gguf\"", 3, "`model.filename` " + filename + "\"../x.gguf\""),
            ("hf_repo = \"o/r\"\nfilename = \"/abs/x.gguf\"", 3, "`model.filename` " + filename + "\"/abs/x.gguf\""),
            ("hf_repo = \"o/r\"\nfilename = \"model.bin\"", 3, "`model.filename` " + filename + "\"model.bin\""),
            (
                "hf_repo = \"o/r\"\nfilename = \"m.gguf\"\nrevision = \"has space\"", 4,
                "`model.revision` must be a branch, tag or commit, without spaces or \"..\", got \"has space\""
            ),
        ])
    func badRepositoryValue(lines: String, line: Int, message: String) throws {
        let error = try #require(ConfigurationFixtures.error("[model]\n" + lines))
        #expect(error.description == "\(ConfigurationFixtures.path):\(line): \(message)")
    }

    @Test("a top-level key that must be a table")
    func notATable() throws {
        let error = try #require(ConfigurationFixtures.error("\nmodel = \"phi-3\""))
        #expect(error.kind == .wrongType)
        #expect(error.key == "model")
        #expect(
            error.description
                == "\(ConfigurationFixtures.path):2: `model` must be a table ([model]), got a string (\"phi-3\")")
    }

    @Test("spec and the repository form exclude each other")
    func specAndRepository() throws {
        let error = try #require(ConfigurationFixtures.error("[model]\nspec = \"phi-3\"\nhf_repo = \"o/r\""))
        #expect(error.kind == .conflictingKeys)
        #expect(
            error.description
                == "\(ConfigurationFixtures.path):3: `model.spec` and `model.hf_repo` both choose the model; keep "
                + "`spec`, or `hf_repo` and `filename`")
    }

    @Test("hf_repo needs filename, and filename, tokenizer_repo and revision need hf_repo")
    func incompleteRepository() throws {
        let path = ConfigurationFixtures.path
        let noFile = try #require(ConfigurationFixtures.error("[model]\nhf_repo = \"o/r\""))
        #expect(noFile.kind == .missingKey)
        #expect(
            noFile.description
                == "\(path):2: `model.hf_repo` needs `model.filename` (the .gguf file in the repository) beside it")
        let noRepository = try #require(ConfigurationFixtures.error("[model]\n\nfilename = \"m.gguf\""))
        #expect(
            noRepository.description
                == "\(path):3: `model.filename` needs `model.hf_repo` (the repository, owner/name) beside it")
        let revisionOnly = try #require(ConfigurationFixtures.error("[model]\nrevision = \"main\""))
        #expect(revisionOnly.key == "model.revision")
        #expect(revisionOnly.line == 2)
    }

    @Test("a value in an inline table is reported on the inline table's line")
    func inlineTableLine() throws {
        let error = try #require(ConfigurationFixtures.error("# x\n\nserver = { host = \"h\", port = 70000 }"))
        #expect(error.description == "\(ConfigurationFixtures.path):3: \(Self.port)70000")
    }

    @Test("of several problems, the first in the file is reported")
    func firstProblem() throws {
        let error = try #require(
            ConfigurationFixtures.error("[server]\nthreads = 0\nport = 70000\n[model]\nspec = \"\""))
        #expect(error.line == 2)
        #expect(error.key == "server.threads")
    }
}
