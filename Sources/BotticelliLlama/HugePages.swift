import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Backs the buffers llama.cpp allocates while reading a model (the weights) or creating a context (the KV cache and
/// compute buffers) with 2 MiB pages.
///
/// Decoding reads every weight once per step. With 4 KiB pages that walk misses the TLB thousands of times per
/// token; with 2 MiB pages it hardly misses. llama.cpp allocates its buffers with `posix_memalign` and never asks
/// for huge pages, and most Linux systems hand out transparent huge pages only to memory that asks
/// (`/sys/kernel/mm/transparent_hugepage/enabled` set to `madvise`). So the anonymous mappings that appear during a
/// load are found in `/proc/self/maps` and advised (`MADV_HUGEPAGE`) before they are filled, and the kernel fills
/// them with huge pages. Pages touched before the advice (the allocator's header) are collapsed with
/// `MADV_COLLAPSE` where the kernel has it, else by khugepaged in the background. All of it is a hint: an older
/// kernel, or `never` in that setting, leaves ordinary pages and changes nothing else. A file mapping (`mmap`
/// loading) is page-cache memory, which this does not touch. On other systems this does nothing.
struct HugePageAdvisor {
    /// The anonymous writable mappings that existed before the load. Compared whole, not cut out of the current
    /// ones: another thread may free a buffer meanwhile, and the kernel then places a new mapping over the freed
    /// addresses, which cutting would skip. A new mapping the kernel merged with an old neighbour is advised whole;
    /// on memory already filled the advice changes only where khugepaged may collapse pages later.
    private let before: Set<Range<UInt>>
    /// The ranges advised so far.
    private var advised: [Range<UInt>] = []

    /// Mappings smaller than one huge page cannot hold one.
    static let hugePageSize: UInt = 2 << 20
    /// `madvise` advice values from Linux's `mman-common.h` (`MADV_COLLAPSE` is newer than some C libraries).
    static let adviceHugePage: Int32 = 14
    static let adviceCollapse: Int32 = 25

    init() {
        before = Set(Self.anonymousMappings())
    }

    /// Advises the anonymous memory mapped since `init` and not advised yet. Call as soon as the buffers exist,
    /// before they are filled, so the kernel fills them with huge pages from the start.
    mutating func adviseNewMappings() {
        #if os(Linux)
            let fresh = Self.subtract(Self.anonymousMappings().filter { !before.contains($0) }, advised)
            for range in fresh where range.count >= Self.hugePageSize {
                Self.advise(range, Self.adviceHugePage)
                advised.append(range)
            }
        #endif
    }

    /// Advises whatever is new, then turns the advised ranges into huge pages now, copying pages that were touched
    /// before the advice. The kernel skips what is already huge.
    mutating func finish() {
        adviseNewMappings()
        #if os(Linux)
            for range in advised {
                Self.advise(range, Self.adviceCollapse)
            }
        #endif
    }

    #if os(Linux)
        /// A hint: a failure (an old kernel, huge pages off) leaves ordinary pages.
        private static func advise(_ range: Range<UInt>, _ advice: Int32) {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound), Int(range.count), advice)
        }
    #endif

    /// Private, writable, anonymous mappings of this process, from `/proc/self/maps` (empty where it is missing).
    static func anonymousMappings() -> [Range<UInt>] {
        #if os(Linux)
            guard let file = fopen("/proc/self/maps", "r") else { return [] }
            defer { fclose(file) }
            var mappings: [Range<UInt>] = []
            var line: UnsafeMutablePointer<CChar>?
            var capacity = 0
            defer { free(line) }
            while getline(&line, &capacity, file) > 0, let line {
                if let range = anonymousMapping(in: String(cString: line)) { mappings.append(range) }
            }
            return mappings
        #else
            return []
        #endif
    }

    /// Parses one line of `/proc/self/maps` (`start-end perms offset device inode [path]`); returns its range when
    /// the mapping is anonymous (inode 0, no path), private and writable.
    static func anonymousMapping(in line: String) -> Range<UInt>? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 5, fields[1].hasPrefix("rw"), fields[1].hasSuffix("p"), fields[4] == "0" else {
            return nil
        }
        let bounds = fields[0].split(separator: "-")
        guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
            start < end
        else { return nil }
        return start..<end
    }

    /// The parts of `ranges` that no range of `removed` covers.
    static func subtract(_ ranges: [Range<UInt>], _ removed: [Range<UInt>]) -> [Range<UInt>] {
        var remaining = ranges
        for cut in removed {
            remaining = remaining.flatMap { range -> [Range<UInt>] in
                guard range.overlaps(cut) else { return [range] }
                var parts: [Range<UInt>] = []
                if range.lowerBound < cut.lowerBound { parts.append(range.lowerBound..<cut.lowerBound) }
                if cut.upperBound < range.upperBound { parts.append(cut.upperBound..<range.upperBound) }
                return parts
            }
        }
        return remaining
    }
}

extension HugePageAdvisor {
    /// The advisors of contexts being created, by the thread creating each.
    private static let creatingContexts = Mutex<[UInt: HugePageAdvisor]>([:])

    /// Runs `create`, a `llama_init_from_model` call, so that the KV cache and the compute buffers it allocates are
    /// backed by 2 MiB pages. Each decode step reads the KV cells of every sequence it advances, which at 16
    /// sequences is as many bytes as the weights. llama.cpp zero-fills the KV cache inside that call, with no
    /// callback in between, but it logs the cache's size after allocating it and before filling it; the log handler
    /// passes that line to `contextCreationLogged`, which advises then. The compute buffers are first written by a
    /// decode, so advising them once the call returns is in time. Should a llama.cpp build word the line otherwise,
    /// the KV cache keeps ordinary pages (khugepaged may still collapse it later) and nothing else changes.
    static func whileCreatingContext<T>(_ create: () -> T) -> T {
        #if os(Linux)
            let thread = UInt(pthread_self())
            creatingContexts.withLock { $0[thread] = HugePageAdvisor() }
            let result = create()
            var advisor = creatingContexts.withLock { $0.removeValue(forKey: thread) }
            advisor?.finish()
            return result
        #else
            return create()
        #endif
    }

    /// Given each line llama.cpp logs; acts on the KV cache's size line of a context being created on this thread.
    static func contextCreationLogged(_ message: String) {
        #if os(Linux)
            guard message.contains("KV buffer size") else { return }
            let thread = UInt(pthread_self())
            creatingContexts.withLock { $0[thread]?.adviseNewMappings() }
        #endif
    }
}
