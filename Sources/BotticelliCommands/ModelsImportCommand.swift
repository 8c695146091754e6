import ArgumentParser
import BotticelliModelStore

/// `models import <file.gguf>`: put a local GGUF into the cache, as its registry entry when the checksum matches.
struct ModelsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Copy (or hard-link) a local .gguf into the cache; a file matching a registry entry becomes that entry.",
        discussion: """
            For air-gapped machines: import files brought on a USB stick, then use registry ids offline.
            Example: botticelli_server models import /media/usb/SmolLM2-135M-Instruct.Q4_1.gguf
            """
    )

    @Argument(help: "The .gguf file to import.")
    var file: String

    @Flag(help: "Hard-link instead of copying (the cache must be on the same file system).")
    var link = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        let imported = try store.makeStore().importModel(at: file, link: link)
        let match = imported.spec.map { " (sha256 matches the registry entry \($0.id))" } ?? ""
        StandardOutput().write("Imported as \(imported.name)\(match): \(imported.path)\n")
    }
}
