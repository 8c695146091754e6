import ArgumentParser
import BotticelliCore
import BotticelliModelStore

/// `models list`: the registry, with what fits this machine and what is downloaded.
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registry's models: size, memory needed, whether each fits, whether it is downloaded.",
        discussion: "Without --all, only the models that fit this machine are listed; the recommended one is marked *."
    )

    @Flag(help: "List every model, also those that do not fit this machine.")
    var all = false

    @Option(name: .customLong("ctx-size"), help: "The context length to size the memory for (default 4096).")
    var contextSize: UInt64?

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let modelStore = try store.makeStore()
        let resources = SystemResources.current()
        let free = modelStore.freeDiskBytes()
        let downloaded = modelStore.downloadedIDs()
        let recommendation = Recommendation(
            models: modelStore.registry.models, resources: resources, freeDiskBytes: free,
            contextLength: contextSize, downloaded: downloaded)
        let fits = Dictionary(recommendation.fits.map { ($0.model.id, $0) }) { first, _ in first }
        let rows = modelStore.registry.models.compactMap { spec in
            fits[spec.id].map { fit in
                ModelRow(
                    fit: fit, downloaded: downloaded.contains(spec.id),
                    recommended: recommendation.pick?.model.id == spec.id)
            }
        }
        let shown = all ? rows : rows.filter { $0.fits != ResourceFit.no.rawValue || $0.downloaded }
        if output.json {
            try JSONOutput.write(shown)
            return
        }
        var table = TextTable("ID", "NAME", "QUANT", "SIZE", "RAM", "FITS", "DOWNLOADED")
        for row in shown {
            table.add(
                (row.recommended ? "* " : "  ") + row.id, row.name, row.quantization, ByteCount.format(row.sizeBytes),
                ByteCount.format(row.ramBytes), row.fits, row.downloaded ? "yes" : "")
        }
        var text = table.render()
        if let pick = recommendation.pick {
            text += "\n* recommended for this machine: \(pick.model.id)"
        }
        let hidden = rows.count - shown.count
        if hidden > 0 { text += "\n\(hidden) more do not fit this machine; --all lists them" }
        StandardOutput().write(text + "\n")
    }
}
