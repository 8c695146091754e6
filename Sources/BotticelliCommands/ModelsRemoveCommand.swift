import ArgumentParser
import BotticelliCore
import BotticelliModelStore

/// `models rm <model>`: remove a model's file from the cache, and its blob when nothing else uses it.
struct ModelsRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove a downloaded model from the cache.",
        discussion: "The blob is deleted when no other snapshot uses it. Files named by path are never deleted."
    )

    @Argument(help: "A registry id, org/repo[:QUANT] or hf://org/repo/file.gguf.")
    var model: String

    @OptionGroup var store: StoreOptions

    func run() throws {
        let modelStore = try store.makeStore()
        let source = try modelStore.resolve(model)
        let freed = try modelStore.remove(source)
        StandardOutput().write("Removed \(source.displayName); freed \(ByteCount.format(UInt64(max(0, freed))))\n")
    }
}
