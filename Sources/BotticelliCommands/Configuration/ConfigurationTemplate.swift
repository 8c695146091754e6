import Foundation

/// The commented configuration file that `config init` writes: every key, its default and what it allows.
public enum ConfigurationTemplate {
    /// Writes ``text`` to `path`, creating its folder; refuses to replace an existing file unless `force`.
    public static func write(to path: String, force: Bool = false) throws(ConfigurationError) {
        if FileManager.default.fileExists(atPath: path) && !force {
            throw ConfigurationError(
                kind: .fileExists, origin: .file(path: path, line: nil, column: nil),
                detail: "a configuration file is already there; edit it, or pass --force to replace it")
        }
        try ConfigurationFileWriter.write(text, to: path)
    }

    /// Every key commented out: uncommenting a line sets the default (or, where there is none, an example).
    public static let text = """
        # Botticelli configuration (TOML).
        #
        # Every setting is optional. A commented-out line shows the default, or an example where there is none.
        # Precedence, per key: command-line flags, then BOTTICELLI_* environment variables, then this file, then
        # the defaults. `botticelli_server config show` prints the settings in force and where each comes from.

        [model]
        # The model to serve: a registry id (see `botticelli_server models list`), owner/repo:QUANT,
        # hf://owner/repo/file.gguf, or a path to a .gguf file. Default: none. Environment: BOTTICELLI_MODEL.
        # spec = "mistral-7b-instruct-v0.3-q4"

        # Instead of spec, a file in a Hugging Face repository: hf_repo (owner/name) and filename (a relative path
        # ending in .gguf) go together; tokenizer_repo (owner/name) and revision (a branch, tag or commit) are
        # optional.
        # hf_repo = "TheBloke/Mistral-7B-Instruct-v0.2-GGUF"
        # filename = "mistral-7b-instruct-v0.2.Q4_K_M.gguf"
        # tokenizer_repo = "mistralai/Mistral-7B-Instruct-v0.2"
        # revision = "main"

        # Where downloaded models are kept; "~" stands for your home directory. Default: the Hugging Face cache
        # ($HF_HUB_CACHE, else ~/.cache/huggingface/hub). Environment: BOTTICELLI_CACHE_DIR.
        # cache_dir = "~/.cache/botticelli/models"

        [server]
        # The address to listen on; "0.0.0.0" listens on every interface. Environment: BOTTICELLI_HOST.
        # host = "127.0.0.1"

        # The port, from 0 to 65535 (0 picks a free one). Environment: BOTTICELLI_PORT.
        # port = 8080

        # When set, every route but /health needs "Authorization: Bearer <key>". A non-empty string.
        # Default: none (no key needed). Environment: BOTTICELLI_API_KEY.
        # api_key = "change-me"

        # Requests generated at once in one batch, from 1 to 256. Default: chosen by the server.
        # Environment: BOTTICELLI_PARALLEL.
        # parallel = 4

        # The context size in tokens: 0 uses the model's own, else at least 256. Environment: BOTTICELLI_CTX_SIZE.
        # ctx_size = 0

        # CPU threads for generation, from 1 to 1024. Default: chosen by llama.cpp. Environment: BOTTICELLI_THREADS.
        # threads = 8

        # Origins allowed by CORS; "*" allows any. Default: none.
        # Environment: BOTTICELLI_CORS_ORIGINS (comma-separated).
        # cors_origins = ["http://localhost:3000"]

        # How long a model stays loaded after its last request: a duration such as "30s", "5m" or "1h30m",
        # a number of seconds, -1 (forever) or 0 (unload at once). Environment: BOTTICELLI_KEEP_ALIVE.
        # keep_alive = "5m"

        # The most models loaded at once, from 1 to 64; a request for another model unloads the least recently
        # used idle one (never the model the server started with). Default: 3. Environment: BOTTICELLI_MAX_MODELS.
        # max_models = 3

        # Models of your own, added to the registry: one [[models]] block per model. id (lower-case letters,
        # digits, '.', '-', '_'), hf_repo and filename are required; the rest describe the model. revision is a
        # 40-hex commit and sha256 the file's 64-hex digest.
        # [[models]]
        # id = "my-model-q4"
        # name = "My Model Q4"
        # hf_repo = "org/My-Model-GGUF"
        # filename = "my-model.Q4_K_M.gguf"
        # quantization = "Q4_K_M"
        # size_bytes = 4368439296
        # min_ram_gb = 6.0
        # context_length = 32768
        # tokenizer_repo = "org/My-Model"
        # description = "A short line for model lists"
        # use_cases = ["chat", "coding"]
        # family = "llama"
        # parameters = "7B"
        # license = "apache-2.0"
        # revision = "0123456789abcdef0123456789abcdef01234567"
        # sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

        """
}
