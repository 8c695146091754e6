import ArgumentParser
import BotticelliCore
import BotticelliModelStore

/// `cache prune`: remove abandoned partial downloads and blobs that no snapshot uses.
struct CachePruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove abandoned partial downloads and unreferenced blobs; print what was freed.",
        discussion: "Downloads in progress (their lock is held) are left alone."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        var bytesFreed: Int64
        var removedPaths: [String]
    }

    func run() throws {
        let report = try store.makeStore().cache.prune()
        if output.json {
            try JSONOutput.write(Report(bytesFreed: report.bytesFreed, removedPaths: report.removedPaths))
            return
        }
        let lines = report.removedPaths.map { "removed \($0)\n" }.joined()
        StandardOutput().write(
            lines + "Freed \(ByteCount.format(UInt64(max(0, report.bytesFreed)))) "
                + "(\(report.removedPaths.count) file(s))\n")
    }
}
