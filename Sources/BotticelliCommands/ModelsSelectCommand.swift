import ArgumentParser
import BotticelliModelStore

/// `models select`: choose the model `start` serves, from those that fit this machine, and save it.
struct ModelsSelectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "select",
        abstract: "Choose the model to serve from those that fit this machine, and save it to the configuration.",
        discussion:
            "Shows the same list as the first `start`. Without a terminal, pass --yes to take the recommendation."
    )

    @Flag(help: "Take the recommended model without asking.")
    var yes = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        let path = try ConfigurationLoader.forCurrentProcess()
            .locateFile(explicitPath: store.configurationFile, requireExisting: false).path
        let spec = try ModelSelection.choose(
            store: try store.makeStore(), contextLength: nil, acceptRecommendation: yes)
        try ModelSelection.save(spec, to: path)
        StandardOutput().write("Selected \(spec.id). `botticelli_server start` downloads it if needed and serves it.\n")
    }
}
