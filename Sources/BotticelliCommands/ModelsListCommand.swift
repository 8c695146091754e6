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
        let catalog = try store.makeStore().catalog(contextLength: contextSize)
        let rows = catalog.models
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
        if let pick = catalog.recommendation {
            text += "\n* recommended for this machine: \(pick.id)"
        }
        let hidden = rows.count - shown.count
        if hidden > 0 { text += "\n\(hidden) more do not fit this machine; --all lists them" }
        StandardOutput().write(text + "\n")
    }
}
