#if os(macOS)
    import Darwin
    import Foundation

    /// Reads memory and CPU features through sysctl and the Mach host statistics on macOS.
    enum DarwinResourceReader {
        static func read() -> SystemResources {
            let total = sysctlInteger("hw.memsize") ?? ProcessInfo.processInfo.physicalMemory
            return SystemResources(
                hostTotalMemoryBytes: total, hostAvailableMemoryBytes: availableMemory() ?? total,
                cpuCoreCount: ProcessInfo.processInfo.activeProcessorCount, simdFeatures: features())
        }

        /// Free, inactive, purgeable and speculative pages: what macOS can hand out without swapping.
        private static func availableMemory() -> UInt64? {
            guard let pageSize = sysctlInteger("hw.pagesize") else { return nil }
            var statistics = vm_statistics64_data_t()
            var count = mach_msg_type_number_t(
                MemoryLayout<vm_statistics64_data_t>.size / MemoryLayout<integer_t>.size)
            let result = withUnsafeMutablePointer(to: &statistics) { pointer in
                pointer.withMemoryRebound(to: integer_t.self, capacity: Int(count)) {
                    host_statistics64(mach_host_self(), HOST_VM_INFO64, $0, &count)
                }
            }
            guard result == KERN_SUCCESS else { return nil }
            let pages =
                UInt64(statistics.free_count) + UInt64(statistics.inactive_count) + UInt64(statistics.purgeable_count)
                + UInt64(statistics.speculative_count)
            return pages * pageSize
        }

        private static func features() -> Set<SIMDFeature> {
            let names: [(String, SIMDFeature)] = [
                ("hw.optional.avx1_0", .avx), ("hw.optional.avx2_0", .avx2), ("hw.optional.avx512f", .avx512f),
                ("hw.optional.fma", .fma), ("hw.optional.f16c", .f16c), ("hw.optional.neon", .neon),
                ("hw.optional.arm.FEAT_SVE", .sve),
            ]
            return Set(names.compactMap { name, feature in sysctlInteger(name).flatMap { $0 != 0 ? feature : nil } })
        }

        private static func sysctlInteger(_ name: String) -> UInt64? {
            var value: UInt64 = 0
            var size = MemoryLayout<UInt64>.size
            guard sysctlbyname(name, &value, &size, nil, 0) == 0 else { return nil }
            // Some keys are 32-bit; the zeroed upper half keeps the value right on little-endian machines.
            return value
        }
    }
#endif
