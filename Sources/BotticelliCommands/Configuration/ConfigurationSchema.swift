/// Every key the configuration file knows, in the order `config show` and the template list them.
enum ConfigurationSchema {
    static let modelSpec = ConfigurationSetting<String>(
        "model", "spec", environmentVariable: "BOTTICELLI_MODEL",
        rule: .text(
            "a model reference: a registry id, owner/repo:QUANT, hf://owner/repo/file.gguf or a path to a .gguf file"
        ) { !$0.trimmingSpaces().isEmpty && !ConfigurationNames.hasControl($0) })
    static let modelRepository = ConfigurationSetting<String>(
        "model", "hf_repo", rule: repositoryRule)
    static let modelFilename = ConfigurationSetting<String>(
        "model", "filename", rule: filenameRule)
    static let modelTokenizerRepository = ConfigurationSetting<String>(
        "model", "tokenizer_repo", rule: repositoryRule)
    static let modelRevision = ConfigurationSetting<String>(
        "model", "revision",
        rule: .text("a branch, tag or commit, without spaces or \"..\"", isValid: ConfigurationNames.isRevision))
    static let cacheDirectory = ConfigurationSetting<String>(
        "model", "cache_dir", environmentVariable: "BOTTICELLI_CACHE_DIR",
        rule: .text("a directory path (\"~\" stands for your home directory)") {
            !$0.trimmingSpaces().isEmpty && !ConfigurationNames.hasControl($0)
        })

    static let host = ConfigurationSetting<String>(
        "server", "host", environmentVariable: "BOTTICELLI_HOST",
        rule: .text("a host name or IP address, such as 127.0.0.1 or 0.0.0.0", isValid: ConfigurationNames.isHost))
    static let port = ConfigurationSetting<Int>(
        "server", "port", environmentVariable: "BOTTICELLI_PORT",
        rule: .integer(0...65535, "an integer from 0 to 65535 (0 picks a free port)"),
        environmentInput: ConfigurationInput.parsingInteger)
    static let apiKey = ConfigurationSetting<String>(
        "server", "api_key", environmentVariable: "BOTTICELLI_API_KEY", rule: .nonEmpty)
    static let parallel = ConfigurationSetting<Int>(
        "server", "parallel", environmentVariable: "BOTTICELLI_PARALLEL",
        rule: .integer(1...256, "an integer from 1 to 256"), environmentInput: ConfigurationInput.parsingInteger)
    static let contextSize = ConfigurationSetting<Int>(
        "server", "ctx_size", environmentVariable: "BOTTICELLI_CTX_SIZE", rule: .contextSize,
        environmentInput: ConfigurationInput.parsingInteger)
    static let threads = ConfigurationSetting<Int>(
        "server", "threads", environmentVariable: "BOTTICELLI_THREADS",
        rule: .integer(1...1024, "an integer from 1 to 1024"), environmentInput: ConfigurationInput.parsingInteger)
    static let corsOrigins = ConfigurationSetting<[String]>(
        "server", "cors_origins", environmentVariable: "BOTTICELLI_CORS_ORIGINS", rule: .strings,
        environmentInput: ConfigurationInput.parsingList)
    static let keepAlive = ConfigurationSetting<ModelKeepAlive>(
        "server", "keep_alive", environmentVariable: "BOTTICELLI_KEEP_ALIVE", rule: .keepAlive)
    static let maximumModels = ConfigurationSetting<Int>(
        "server", "max_models", environmentVariable: "BOTTICELLI_MAX_MODELS",
        rule: .integer(1...64, "an integer from 1 to 64"), environmentInput: ConfigurationInput.parsingInteger)

    static let repositoryRule = ConfigurationRule<String>.text(
        "a Hugging Face repository written owner/name (letters, digits, '-', '_' and '.')",
        isValid: ConfigurationNames.isRepository)
    static let filenameRule = ConfigurationRule<String>.text(
        "the path of a .gguf file inside the repository, relative and without \"..\"",
        isValid: ConfigurationNames.isModelFilePath)

    static let tables = ["model", "server", "models"]
    static let modelKeys = ["spec", "hf_repo", "filename", "tokenizer_repo", "revision", "cache_dir"]
    static let serverKeys = [
        "host", "port", "api_key", "parallel", "ctx_size", "threads", "cors_origins", "keep_alive",
        "max_models",
    ]
    static let customModelKeys = [
        "id", "name", "hf_repo", "filename", "quantization", "size_bytes", "min_ram_gb", "context_length",
        "tokenizer_repo", "description", "use_cases", "family", "parameters", "license", "revision", "sha256",
    ]

    /// The keys a table may hold.
    static func keys(ofTable table: String) -> [String] {
        switch table {
        case "model": modelKeys
        case "server": serverKeys
        case "models": customModelKeys
        default: []
        }
    }

    /// Every environment variable the configuration reads, besides `BOTTICELLI_CONFIG`.
    static let environmentVariables = [
        "BOTTICELLI_MODEL", "BOTTICELLI_CACHE_DIR", "BOTTICELLI_HOST", "BOTTICELLI_PORT", "BOTTICELLI_API_KEY",
        "BOTTICELLI_PARALLEL", "BOTTICELLI_CTX_SIZE", "BOTTICELLI_THREADS", "BOTTICELLI_CORS_ORIGINS",
        "BOTTICELLI_KEEP_ALIVE", "BOTTICELLI_MAX_MODELS",
    ]
}
