import ArgumentParser
import BotticelliCore
import BotticelliHub
import BotticelliModelStore
import Foundation

/// `models download <model>`: fetch a model into the cache, resumably and verified.
struct ModelsDownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a model into the cache (resumes an interrupted download; verifies the checksum).",
        discussion: """
            Examples:
              botticelli_server models download smollm2-135m-instruct-q4_1
              botticelli_server models download bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M
              botticelli_server models download hf://bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q8_0.gguf
            A model that does not fit this machine's memory or disk is refused before the download; --force downloads
            it anyway. Ctrl-C keeps the partial file: running the command again resumes it.
            """
    )

    @Argument(help: "A registry id, org/repo[:QUANT] or hf://org/repo/file.gguf.")
    var model: String

    @Option(help: "The branch, tag or commit to download from (default: the registry's pin, else main).")
    var revision: String?

    @Option(help: "Ranged requests in flight at once (default 8).")
    var connections: Int?

    @Flag(help: "Download even when the model does not fit this machine's memory or disk.")
    var force = false

    @Flag(help: "Print progress as one JSON object per line on standard error, and the result as JSON.")
    var json = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let connections, !(1...64).contains(connections) {
            throw ValidationError("--connections must be between 1 and 64, got \(connections)")
        }
    }

    struct Result: Encodable {
        var model: String
        var path: String
        var sizeBytes: Int64
        var origin: String
    }

    func run() async throws {
        let modelStore = try store.makeStore(connections: connections)
        let source = try modelStore.resolve(model, revision: revision)
        if case .localFile(let path) = source {
            throw ValidationError("\(path) is a local file; it needs no download (use it by its path)")
        }
        let renderer = ProgressRenderer(style: json ? .jsonLines : nil)
        let local = try await InterruptHandler.run {
            try await modelStore.fetch(
                source, force: force, warn: { StandardError.write("warning: \($0)\n") },
                progress: { renderer.render($0) })
        }
        if json {
            try JSONOutput.write(
                Result(model: local.id, path: local.path, sizeBytes: local.sizeBytes, origin: local.origin.rawValue))
        } else if local.origin == .cache {
            StandardOutput().write("\(local.id) is already in the cache: \(local.path)\n")
        } else {
            StandardOutput().write(
                "Downloaded \(local.id) (\(ByteCount.format(UInt64(local.sizeBytes)))): \(local.path)\n")
        }
    }
}
