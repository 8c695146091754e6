import ArgumentParser
import BotticelliCore
import BotticelliModelStore

/// `system`: what this machine has, and the model recommended for it.
struct SystemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system",
        abstract: "Show memory, disk, cores and vector extensions, and the recommended model with the reason."
    )

    @Option(name: .customLong("ctx-size"), help: "The context length to size the memory for (default 4096).")
    var contextSize: UInt64?

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        struct Memory: Encodable {
            var totalBytes: UInt64
            var availableBytes: UInt64
            var hostTotalBytes: UInt64
            var cgroupLimitBytes: UInt64?
        }
        struct Disk: Encodable {
            var path: String
            var freeBytes: UInt64?
        }
        struct Pick: Encodable {
            var id: String
            var fits: String
            var ramBytes: UInt64
            var reason: String
        }
        struct PassedOver: Encodable {
            var id: String
            var reason: String
        }
        var memory: Memory
        var disk: Disk
        var cpuCores: Int
        var simdFeatures: [String]
        var recommendation: Pick?
        var passedOver: [PassedOver]
    }

    func run() throws {
        let modelStore = try store.makeStore()
        let resources = SystemResources.current()
        let free = modelStore.freeDiskBytes()
        let recommendation = Recommendation(
            models: modelStore.registry.models, resources: resources, freeDiskBytes: free,
            contextLength: contextSize, downloaded: modelStore.downloadedIDs())
        let pick = recommendation.pick.map { fit in
            Report.Pick(
                id: fit.model.id, fits: fit.overall.rawValue, ramBytes: fit.estimate.totalBytes,
                reason: fit.recommendationReason(detailed: true))
        }
        let report = Report(
            memory: .init(
                totalBytes: resources.totalMemoryBytes, availableBytes: resources.availableMemoryBytes,
                hostTotalBytes: resources.hostTotalMemoryBytes, cgroupLimitBytes: resources.cgroupMemoryLimitBytes),
            disk: .init(path: modelStore.cache.root, freeBytes: free),
            cpuCores: resources.cpuCoreCount,
            simdFeatures: resources.simdFeatures.map(\.rawValue).sorted(),
            recommendation: pick,
            passedOver: recommendation.passedOver.map { .init(id: $0.fit.model.id, reason: $0.reason) })
        if output.json {
            try JSONOutput.write(report)
            return
        }
        var lines: [String] = []
        var memory =
            "\(ByteCount.format(report.memory.totalBytes)) total, "
            + "\(ByteCount.format(report.memory.availableBytes)) available"
        if let limit = report.memory.cgroupLimitBytes, limit < report.memory.hostTotalBytes {
            memory += " (container limit; the host has \(ByteCount.format(report.memory.hostTotalBytes)))"
        }
        lines.append("Memory:     " + memory)
        lines.append("Disk:       \(free.map(ByteCount.format) ?? "unknown") free at \(report.disk.path)")
        lines.append("CPU:        \(report.cpuCores) cores; \(report.simdFeatures.joined(separator: " "))")
        if let pick {
            lines.append("Recommended: \(pick.id) (needs \(ByteCount.format(pick.ramBytes)) RAM): \(pick.reason)")
        } else {
            lines.append("Recommended: none: no model in the registry fits this machine")
        }
        let notFitting = recommendation.passedOver.filter { $0.fit.overall == .no }
        let better = recommendation.passedOver.filter { $0.fit.overall != .no }
        if !better.isEmpty {
            let named = better.prefix(6).map(\.fit.model.id).joined(separator: ", ")
            let more = better.count > 6 ? " and \(better.count - 6) more (models list)" : ""
            lines.append("Also fit:   " + named + more)
        }
        if !notFitting.isEmpty {
            lines.append("Passed over (too large for this machine):")
            lines += notFitting.map { "  \($0.fit.model.id): \($0.reason)" }
        }
        StandardOutput().write(lines.joined(separator: "\n") + "\n")
    }
}
