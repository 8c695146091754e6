import ArgumentParser
import BotticelliCore
import BotticelliModelStore

/// `cache ls`: every GGUF model in the cache (ours, huggingface_hub's and llama.cpp's), with sizes.
struct CacheListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List the models in the cache: name, size, registry entry, path."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    struct Entry: Encodable {
        var name: String
        var registryId: String?
        var repo: String
        var filename: String
        var sizeBytes: Int64
        var commit: String
        var refs: [String]
        var path: String
    }

    struct Listing: Encodable {
        var cacheDirectory: String
        var totalBytes: Int64
        var models: [Entry]
    }

    func run() throws {
        let modelStore = try store.makeStore()
        let models = modelStore.installedModels().map { model in
            Entry(
                name: model.name, registryId: model.spec?.id, repo: model.repo, filename: model.filename,
                sizeBytes: model.sizeBytes, commit: model.commit, refs: model.refs, path: model.path)
        }
        let listing = Listing(
            cacheDirectory: modelStore.cache.root, totalBytes: models.reduce(0) { $0 + $1.sizeBytes }, models: models)
        if output.json {
            try JSONOutput.write(listing)
            return
        }
        guard !models.isEmpty else {
            StandardOutput().write(
                "No models in \(listing.cacheDirectory). Download one with `botticelli_server models download <id>`.\n")
            return
        }
        var table = TextTable("MODEL", "SIZE", "REVISION", "PATH")
        for model in models {
            let revision = model.refs.isEmpty ? String(model.commit.prefix(12)) : model.refs.joined(separator: ",")
            table.add(model.name, ByteCount.format(UInt64(max(0, model.sizeBytes))), revision, model.path)
        }
        StandardOutput().write(
            table.render() + "\n\(models.count) model(s), \(ByteCount.format(UInt64(max(0, listing.totalBytes)))) in "
                + "\(listing.cacheDirectory)\n")
    }
}
