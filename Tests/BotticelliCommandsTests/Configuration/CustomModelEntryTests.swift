import Testing

@testable import BotticelliCommands

@Suite("configuration file: [[models]] entries")
struct CustomModelEntryTests {
    static let complete = """
        [[models]]
        id = "my-model-q4"
        name = "My Model Q4"
        hf_repo = "org/My-Model-GGUF"
        filename = "my-model.Q4_K_M.gguf"
        quantization = "Q4_K_M"
        size_bytes = 4368439296
        min_ram_gb = 6
        context_length = 32768
        tokenizer_repo = "org/My-Model"
        description = "A short line"
        use_cases = ["chat", "coding"]
        family = "llama"
        parameters = "1.5B"
        license = "apache-2.0"
        revision = "0123456789ABCDEF0123456789abcdef01234567"
        sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF"

        [[models]]
        id = "tiny"
        hf_repo = "org/tiny"
        filename = "tiny.gguf"
        """

    /// An entry with its three required keys on lines 2 to 4, and `extra` on line 5.
    static func entry(_ extra: String) -> String {
        "[[models]]\nid = \"x\"\nhf_repo = \"o/r\"\nfilename = \"f.gguf\"\n\(extra)\n"
    }

    @Test("every key of an entry is read; hexadecimal is lower-cased")
    func complete() throws {
        let models = try ConfigurationFixtures.parse(Self.complete).customModels
        try #require(models.count == 2)
        let expected = CustomModelEntry(
            id: "my-model-q4", name: "My Model Q4", hfRepo: "org/My-Model-GGUF", filename: "my-model.Q4_K_M.gguf",
            quantization: "Q4_K_M", downloadSizeBytes: 4_368_439_296, minimumRAMGigabytes: 6, contextLength: 32768,
            tokenizerRepo: "org/My-Model", description: "A short line", useCases: ["chat", "coding"], family: "llama",
            parameters: "1.5B", license: "apache-2.0", revision: "0123456789abcdef0123456789abcdef01234567",
            sha256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
        #expect(models[0].value == expected)
        #expect(models[0].value.parameterCount == 1_500_000_000)
        #expect(models[0].source == .file(path: ConfigurationFixtures.path, line: 1))
        #expect(models[1].value == CustomModelEntry(id: "tiny", hfRepo: "org/tiny", filename: "tiny.gguf"))
        #expect(models[1].source == .file(path: ConfigurationFixtures.path, line: 19))
    }

    @Test("an array of inline tables works as well as [[models]]")
    func inlineEntries() throws {
        let models = try ConfigurationFixtures.parse(
            """
            models = [
              { id = "a", hf_repo = "o/a", filename = "a.gguf" },
              { id = "b", hf_repo = "o/b", filename = "b.gguf" },
            ]
            """
        ).customModels
        #expect(models.map(\.value.id) == ["a", "b"])
        #expect(models.map(\.source) == [2, 3].map { .file(path: ConfigurationFixtures.path, line: $0) })
    }

    static let filename =
        "must be the path of a .gguf file inside the repository, relative and without \"..\", got "
    static let invalid: [(String, String)] = [
        (
            "id = \"Bad ID\"",
            "`models[0].id` must be a registry id of lower-case letters, digits, '.', '-' and '_', got \"Bad ID\""
        ),
        (
            "filename = \"a/../b.gguf\"",
            "`models[0].filename` " + filename + "\"a/../b.gguf\""
        ),
        (
            "filename = \"/x.gguf\"",
            "`models[0].filename` " + filename + "\"/x.gguf\""
        ),
        (
            "filename = \"x.bin\"",
            "`models[0].filename` " + filename + "\"x.bin\""
        ),
        (
            "hf_repo = \"nope\"",
            "`models[0].hf_repo` must be a Hugging Face repository written owner/name (letters, digits, '-', '_' "
                + "and '.'), got \"nope\""
        ),
        ("size_bytes = 0", "`models[0].size_bytes` must be a positive integer (bytes), got 0"),
        ("size_bytes = \"big\"", "`models[0].size_bytes` must be a positive integer (bytes), got a string (\"big\")"),
        ("min_ram_gb = 0", "`models[0].min_ram_gb` must be a positive number, got 0"),
        ("min_ram_gb = \"6\"", "`models[0].min_ram_gb` must be a positive number, got a string (\"6\")"),
        ("context_length = 0", "`models[0].context_length` must be a positive integer (tokens), got 0"),
        (
            "use_cases = \"chat\"",
            "`models[0].use_cases` must be an array of non-empty strings, got a string (\"chat\")"
        ),
        (
            "parameters = \"7 billion\"",
            "`models[0].parameters` must be a parameter count such as \"135M\", \"7B\" or \"1.5B\", got \"7 billion\""
        ),
        ("revision = \"main\"", "`models[0].revision` must be a 40-character hexadecimal commit, got \"main\""),
        ("sha256 = \"abc\"", "`models[0].sha256` must be 64 hexadecimal characters (the file's SHA-256), got \"abc\""),
        (
            "quantization = \"Q4 K M\"",
            "`models[0].quantization` must be a quantization name such as Q4_K_M, IQ2_XS or F16, got \"Q4 K M\""
        ),
        ("family = \"\"", "`models[0].family` must be a non-empty string, got \"\""),
    ]

    @Test("each bad value of an entry names its line and dotted key", arguments: invalid)
    func badValue(line: String, message: String) throws {
        // A replaced required key sits on its own line; an added key on line 5.
        let key = String(line.prefix { $0 != " " })
        var lines = Self.entry("").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let number: Int
        if let index = lines.firstIndex(where: { $0.hasPrefix(key + " =") }) {
            lines[index] = line
            number = index + 1
        } else {
            lines.insert(line, at: 4)
            number = 5
        }
        let error = try #require(ConfigurationFixtures.error(lines.joined(separator: "\n")))
        #expect(error.description == "\(ConfigurationFixtures.path):\(number): \(message)")
    }

    @Test("a missing required key is reported on the entry's header")
    func missingKey() throws {
        let error = try #require(
            ConfigurationFixtures.error(Self.entry("") + "\n[[models]]\nid = \"y\"\nhf_repo = \"o/y\"\n"))
        #expect(error.kind == .missingKey)
        #expect(
            error.description
                == "\(ConfigurationFixtures.path):7: `models[1]` needs `filename`; a [[models]] entry needs at least "
                + "id, hf_repo and filename")
    }

    @Test("ids must be unique")
    func duplicateID() throws {
        let error = try #require(ConfigurationFixtures.error(Self.entry("") + Self.entry("")))
        #expect(
            error.description
                == "\(ConfigurationFixtures.path):7: `models[1].id` repeats the id \"x\" of an earlier entry on "
                + "line 1; each [[models]] id must be unique")
    }

    @Test("models must be an array of tables")
    func notAnArray() throws {
        let table = try #require(ConfigurationFixtures.error("[models]\nid = \"x\""))
        #expect(
            table.description
                == "\(ConfigurationFixtures.path):1: `models` must be an array of tables, each written [[models]], got "
                + "a table")
        let numbers = try #require(ConfigurationFixtures.error("models = [1, 2]"))
        #expect(
            numbers.description
                == "\(ConfigurationFixtures.path):1: `models[0]` must be a table ([[models]]), got an integer (1)")
    }
}
