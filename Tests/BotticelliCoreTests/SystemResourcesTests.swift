import BotticelliCore
import Foundation
import Testing

@Suite("System resources")
struct SystemResourcesTests {
    /// A fake root with /proc and /sys files, removed after the test.
    private final class FakeRoot {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("root-\(UUID().uuidString)").path

        func write(_ relative: String, _ contents: String) throws {
            let url = URL(fileURLWithPath: path + relative)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    private let meminfo = """
        MemTotal:       16318588 kB
        MemFree:         1048576 kB
        MemAvailable:    8159294 kB
        Buffers:          123456 kB
        """

    @Test("parses /proc/meminfo")
    func memInfo() {
        let parsed = LinuxResourceReader.parseMemInfo(meminfo)
        #expect(parsed.total == 16_318_588 * 1024)
        #expect(parsed.available == 8_159_294 * 1024)
        #expect(LinuxResourceReader.parseMemInfo("garbage\nMemTotal: x kB").total == nil)
    }

    @Test("parses cgroup files")
    func cgroupFiles() {
        #expect(
            LinuxResourceReader.parseCgroupPath("0::/user.slice/session-1.scope\n") == "/user.slice/session-1.scope")
        #expect(LinuxResourceReader.parseCgroupPath("12:memory:/docker/abc\n") == nil)
        #expect(LinuxResourceReader.parseMemoryMax("max\n") == nil)
        #expect(LinuxResourceReader.parseMemoryMax("4294967296\n") == 4_294_967_296)
        #expect(LinuxResourceReader.parseCPUMax("200000 100000\n") == 2)
        #expect(LinuxResourceReader.parseCPUMax("max 100000\n") == nil)
    }

    @Test("parses SIMD flags on x86 and ARM")
    func cpuFeatures() {
        let x86 = "processor\t: 0\nflags\t\t: fpu sse sse2 avx f16c fma avx2 avx512f avx512bw\nbugs\t: none\n"
        #expect(LinuxResourceReader.parseCPUFeatures(x86) == [.avx, .avx2, .avx512f, .fma, .f16c])
        let arm = "processor\t: 0\nFeatures\t: fp asimd evtstrm aes sve\n"
        #expect(LinuxResourceReader.parseCPUFeatures(arm) == [.neon, .sve])
        #expect(LinuxResourceReader.parseCPUFeatures("flags\t: fpu sse\n").isEmpty)
    }

    @Test("a cgroup limit lower than the host's memory wins; the lowest limit up the tree counts")
    func cgroupLimit() throws {
        let root = FakeRoot()
        try root.write("/proc/meminfo", meminfo)
        try root.write("/proc/self/cgroup", "0::/system.slice/app.service\n")
        try root.write("/proc/cpuinfo", "flags\t: avx avx2\n")
        try root.write("/sys/fs/cgroup/system.slice/app.service/memory.max", "max\n")
        try root.write("/sys/fs/cgroup/system.slice/app.service/memory.current", "1073741824\n")
        try root.write("/sys/fs/cgroup/system.slice/memory.max", "4294967296\n")
        try root.write("/sys/fs/cgroup/system.slice/app.service/cpu.max", "150000 100000\n")

        let resources = LinuxResourceReader(root: root.path, processorCount: 8).read()
        #expect(resources.hostTotalMemoryBytes == 16_318_588 * 1024)
        #expect(resources.cgroupMemoryLimitBytes == 4_294_967_296)
        #expect(resources.totalMemoryBytes == 4_294_967_296)
        #expect(resources.availableMemoryBytes == 3_221_225_472)
        #expect(resources.cpuCoreCount == 2)
        #expect(resources.simdFeatures == [.avx, .avx2])
    }

    @Test("\"max\" everywhere means the host's memory")
    func noLimit() throws {
        let root = FakeRoot()
        try root.write("/proc/meminfo", meminfo)
        try root.write("/proc/self/cgroup", "0::/\n")
        try root.write("/sys/fs/cgroup/memory.max", "max\n")

        let resources = LinuxResourceReader(root: root.path, processorCount: 4).read()
        #expect(resources.cgroupMemoryLimitBytes == nil)
        #expect(resources.totalMemoryBytes == 16_318_588 * 1024)
        #expect(resources.availableMemoryBytes == 8_159_294 * 1024)
        #expect(resources.cpuCoreCount == 4)
    }

    @Test("cgroup v1's limit is read when there is no v2 hierarchy, and its 'unlimited' ignored")
    func cgroupVersion1() throws {
        let root = FakeRoot()
        try root.write("/proc/meminfo", meminfo)
        try root.write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "2147483648\n")
        #expect(LinuxResourceReader(root: root.path).read().totalMemoryBytes == 2_147_483_648)
        try root.write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n")
        #expect(LinuxResourceReader(root: root.path).read().cgroupMemoryLimitBytes == nil)
    }

    @Test("reads this machine")
    func thisMachine() throws {
        let resources = SystemResources.current()
        #expect(resources.totalMemoryBytes > 0)
        #expect(resources.availableMemoryBytes <= resources.hostTotalMemoryBytes)
        #expect(resources.cpuCoreCount >= 1)
        let free = try DiskSpace.freeBytes(at: FileManager.default.temporaryDirectory.path)
        #expect(free > 0)
        // A directory that does not exist yet is measured at its nearest existing parent.
        #expect(try DiskSpace.freeBytes(at: "/tmp/does-not-exist-\(UUID().uuidString)/models") > 0)
    }
}
