import ArgumentParser
import BotticelliCore
import BotticelliModelStore
import Foundation

/// `models info <model>`: the registry's data and, for a file on disk, what its GGUF header says.
struct ModelsInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a model's registry entry and, when it is on disk, its GGUF header.",
        discussion: "Example: botticelli_server models info smollm2-135m-instruct-q4_1"
    )

    @Argument(help: "A registry id, org/repo[:QUANT], hf://org/repo/file.gguf, or a path to a .gguf file.")
    var model: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    struct Info: Encodable {
        var reference: String
        var registry: ModelSpec?
        var downloaded: Bool
        var file: GGUFSummary?
    }

    func run() throws {
        let modelStore = try store.makeStore()
        let source = try modelStore.resolve(model)
        let local = try modelStore.locate(source)
        if case .localFile(let path) = source, local == nil {
            throw ModelStoreError(.fileNotFound, "model file not found: \(path)")
        }
        var spec: ModelSpec?
        if case .registry(let registered) = source { spec = registered } else { spec = local?.spec }
        let summary = try local.map { GGUFSummary(path: $0.path, file: try GGUFReader.read(path: $0.path)) }
        let info = Info(reference: source.displayName, registry: spec, downloaded: local != nil, file: summary)
        if output.json {
            try JSONOutput.write(info)
            return
        }
        var lines: [(String, String)] = [("model", source.displayName)]
        if let spec {
            lines += [
                ("name", spec.displayName), ("description", spec.description),
                ("repository", spec.hfRepo), ("file", spec.filename),
                ("revision", spec.revision ?? "main"),
                ("quantization", "\(spec.quantization.name): \(spec.quantization.note)"),
                ("download size", ByteCount.format(spec.downloadSizeBytes)),
                ("memory needed", ByteCount.format(MemoryEstimate(spec: spec).totalBytes) + " at 4096 tokens"),
                ("parameters", GGUFSummary.parameters(spec.parameterCount)),
                ("context length", "\(spec.contextLength)"), ("license", spec.license),
                ("use cases", spec.useCases.joined(separator: ", ")), ("tokenizer", spec.tokenizerRepo),
            ]
        } else if let repo = source.repo {
            lines.append(("repository", repo))
        }
        lines.append(("downloaded", local.map { "yes (\($0.path))" } ?? "no"))
        if let summary {
            lines.append(("", ""))
            lines.append(("GGUF header", ""))
            lines += summary.lines.map { ("  " + $0.0, $0.1) }
        }
        let width = lines.map(\.0.count).max() ?? 0
        let text = lines.map { key, value in
            key.isEmpty ? "" : key + String(repeating: " ", count: width - key.count) + "  " + value
        }.joined(separator: "\n")
        StandardOutput().write(text + "\n")
    }
}
