import Foundation

/// Reads Linux's `/proc` and cgroup files under a root directory, so tests can point it at fake ones.
public struct LinuxResourceReader: Sendable {
    /// The directory that stands for `/`.
    public let root: String
    /// The cores the process may use before the cgroup quota; injectable for tests.
    public let processorCount: Int

    public init(root: String, processorCount: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
        self.processorCount = processorCount
    }

    public func read() -> SystemResources {
        let memory = Self.parseMemInfo(contents("/proc/meminfo") ?? "")
        let total = memory.total ?? ProcessInfo.processInfo.physicalMemory
        let cgroup = cgroupDirectories()
        let limit = cgroupMemoryLimit(cgroup)
        let usage = cgroup.lazy.compactMap { contents("\($0)/memory.current").flatMap(Self.parseInteger) }.first
        var cores = processorCount
        if let quota = cgroup.lazy.compactMap({ contents("\($0)/cpu.max").flatMap(Self.parseCPUMax) }).min() {
            cores = max(1, min(cores, Int(quota.rounded(.up))))
        }
        return SystemResources(
            hostTotalMemoryBytes: total, hostAvailableMemoryBytes: memory.available ?? total,
            cgroupMemoryLimitBytes: limit, cgroupMemoryUsageBytes: limit == nil ? nil : usage,
            cpuCoreCount: cores, simdFeatures: Self.parseCPUFeatures(contents("/proc/cpuinfo") ?? ""))
    }

    /// The cgroup v2 directories from the process's own up to the hierarchy's root, innermost first.
    func cgroupDirectories() -> [String] {
        let base = "/sys/fs/cgroup"
        guard let path = Self.parseCgroupPath(contents("/proc/self/cgroup") ?? "") else { return [base] }
        var directories: [String] = []
        var components = path.split(separator: "/").map(String.init).filter { $0 != ".." && $0 != "." }
        while true {
            directories.append(([base] + components).joined(separator: "/"))
            guard !components.isEmpty else { break }
            components.removeLast()
        }
        return directories
    }

    /// The lowest `memory.max` on the way to the root; cgroup v1's `memory.limit_in_bytes` when there is no v2.
    private func cgroupMemoryLimit(_ directories: [String]) -> UInt64? {
        let limits = directories.compactMap { contents("\($0)/memory.max") }.compactMap(Self.parseMemoryMax)
        if let lowest = limits.min() { return lowest }
        return contents("/sys/fs/cgroup/memory/memory.limit_in_bytes").flatMap(Self.parseInteger).flatMap {
            // cgroup v1 writes "no limit" as a huge number near 2^63.
            $0 >= 1 << 62 ? nil : $0
        }
    }

    private func contents(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: root + path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// `MemTotal` and `MemAvailable` from `/proc/meminfo`, in bytes (the file counts kB, meaning KiB).
    public static func parseMemInfo(_ text: String) -> (total: UInt64?, available: UInt64?) {
        var total: UInt64?
        var available: UInt64?
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "\t" })
            guard fields.count >= 2, let kibibytes = UInt64(fields[1]) else { continue }
            let (bytes, overflow) = kibibytes.multipliedReportingOverflow(by: 1024)
            guard !overflow else { continue }
            if fields[0] == "MemTotal" { total = bytes }
            if fields[0] == "MemAvailable" { available = bytes }
        }
        return (total, available)
    }

    /// The cgroup v2 path (the `0::` line) from `/proc/self/cgroup`.
    public static func parseCgroupPath(_ text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("0::") {
            return String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// A `memory.max` value: bytes, or nil for `max` (no limit) and anything unreadable.
    public static func parseMemoryMax(_ text: String) -> UInt64? {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return value == "max" ? nil : UInt64(value)
    }

    /// A `cpu.max` value, `quota period`, as a number of cores; nil for `max` (no quota).
    public static func parseCPUMax(_ text: String) -> Double? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let quota = Double(fields[0]), let period = Double(fields[1]), period > 0 else {
            return nil
        }
        return quota / period
    }

    /// The SIMD features in the first `flags` (x86) or `Features` (ARM) line of `/proc/cpuinfo`.
    public static func parseCPUFeatures(_ text: String) -> Set<SIMDFeature> {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard name == "flags" || name == "Features" else { continue }
            var features: Set<SIMDFeature> = []
            for flag in parts[1].split(separator: " ") {
                switch flag {
                case "avx": features.insert(.avx)
                case "avx2": features.insert(.avx2)
                case "avx512f": features.insert(.avx512f)
                case "fma": features.insert(.fma)
                case "f16c": features.insert(.f16c)
                case "asimd", "neon": features.insert(.neon)
                case "sve": features.insert(.sve)
                default: break
                }
            }
            return features
        }
        return []
    }

    private static func parseInteger(_ text: String) -> UInt64? {
        UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
