import Foundation

/// The machine's memory, cores and vector extensions, as far as this process may use them.
///
/// On Linux, memory is the lower of the host's (`/proc/meminfo`) and the process's cgroup limit, so a container
/// limited to 4 GB on a 64 GB host counts as 4 GB.
public struct SystemResources: Sendable, Equatable {
    /// The host's physical memory.
    public var hostTotalMemoryBytes: UInt64
    /// Memory the host can give without swapping (`MemAvailable`).
    public var hostAvailableMemoryBytes: UInt64
    /// The cgroup memory limit, nil when there is none.
    public var cgroupMemoryLimitBytes: UInt64?
    /// Memory the cgroup already uses, when known.
    public var cgroupMemoryUsageBytes: UInt64?
    /// Cores this process may run on (affinity and cgroup CPU quota applied).
    public var cpuCoreCount: Int
    /// The vector extensions the CPU reports.
    public var simdFeatures: Set<SIMDFeature>

    public init(
        hostTotalMemoryBytes: UInt64, hostAvailableMemoryBytes: UInt64, cgroupMemoryLimitBytes: UInt64? = nil,
        cgroupMemoryUsageBytes: UInt64? = nil, cpuCoreCount: Int, simdFeatures: Set<SIMDFeature> = []
    ) {
        self.hostTotalMemoryBytes = hostTotalMemoryBytes
        self.hostAvailableMemoryBytes = hostAvailableMemoryBytes
        self.cgroupMemoryLimitBytes = cgroupMemoryLimitBytes
        self.cgroupMemoryUsageBytes = cgroupMemoryUsageBytes
        self.cpuCoreCount = cpuCoreCount
        self.simdFeatures = simdFeatures
    }

    /// The memory this process can use at most: the host's, or the cgroup limit when lower.
    public var totalMemoryBytes: UInt64 {
        min(hostTotalMemoryBytes, cgroupMemoryLimitBytes ?? .max)
    }

    /// The memory free for a model now: the host's available memory, or what is left under the cgroup limit
    /// when that is lower.
    public var availableMemoryBytes: UInt64 {
        guard let limit = cgroupMemoryLimitBytes else { return hostAvailableMemoryBytes }
        let used = cgroupMemoryUsageBytes ?? 0
        return min(hostAvailableMemoryBytes, limit > used ? limit - used : 0)
    }

    /// The resources of the machine this process runs on.
    public static func current() -> SystemResources {
        #if os(Linux)
            return LinuxResourceReader(root: "/").read()
        #elseif os(macOS)
            return DarwinResourceReader.read()
        #else
            let total = ProcessInfo.processInfo.physicalMemory
            return SystemResources(
                hostTotalMemoryBytes: total, hostAvailableMemoryBytes: total,
                cpuCoreCount: ProcessInfo.processInfo.activeProcessorCount)
        #endif
    }
}
