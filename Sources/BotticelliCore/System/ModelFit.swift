/// How one model fits one machine: memory at a context length, and disk for the download.
public struct ModelFit: Sendable, Equatable {
    public let model: ModelSpec
    public let estimate: MemoryEstimate
    /// Memory against the machine's total usable memory (host or cgroup limit, whichever is lower).
    public let memory: ResourceFit
    /// The download against free disk space; `.yes` when the file is already there or the space is unknown.
    public let disk: ResourceFit
    /// Why it does not fit, or fits only tightly; empty when it fits well.
    public let problems: [String]

    /// The worse of memory and disk.
    public var overall: ResourceFit { max(memory, disk) }

    /// Evaluates `model` on `resources` with `freeDiskBytes` (nil: unknown) at `contextLength` tokens.
    public init(
        model: ModelSpec, resources: SystemResources, freeDiskBytes: UInt64?, contextLength: UInt64? = nil,
        alreadyDownloaded: Bool = false
    ) {
        self.model = model
        estimate = MemoryEstimate(spec: model, contextLength: contextLength)
        let budget = resources.totalMemoryBytes
        let headroom = ResourceFit.memoryHeadroom(forBudget: budget)
        memory = ResourceFit.evaluate(need: estimate.totalBytes, budget: budget, headroom: headroom)
        if alreadyDownloaded || freeDiskBytes == nil {
            disk = .yes
        } else {
            disk = ResourceFit.evaluate(
                need: model.downloadSizeBytes, budget: freeDiskBytes ?? 0, headroom: ResourceFit.diskHeadroom)
        }

        var problems: [String] = []
        let limitNote =
            resources.cgroupMemoryLimitBytes.map { $0 < resources.hostTotalMemoryBytes } == true
            ? " (its cgroup limit; the host has \(ByteCount.format(resources.hostTotalMemoryBytes)))" : ""
        switch memory {
        case .no:
            problems.append(
                "needs \(ByteCount.format(estimate.totalBytes)) RAM at \(estimate.contextLength) tokens of context, "
                    + "the machine has \(ByteCount.format(budget))\(limitNote)")
        case .tight:
            problems.append(
                "needs \(ByteCount.format(estimate.totalBytes)) RAM, which leaves less than "
                    + "\(ByteCount.format(headroom)) of the machine's \(ByteCount.format(budget))\(limitNote) free")
        case .yes:
            break
        }
        let free = ByteCount.format(freeDiskBytes ?? 0)
        switch disk {
        case .no:
            problems.append(
                "does not fit on disk: the download is \(ByteCount.format(model.downloadSizeBytes)), \(free) free")
        case .tight:
            problems.append(
                "the download of \(ByteCount.format(model.downloadSizeBytes)) would leave less than "
                    + "\(ByteCount.format(ResourceFit.diskHeadroom)) of \(free) free disk")
        case .yes:
            break
        }
        self.problems = problems
    }
}
