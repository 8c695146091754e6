import BotticelliTestSupport
import Foundation
import Testing

@testable import BotticelliLlama

/// Weights read into memory are backed by 2 MiB pages; the greedy fast path picks what llama.cpp's greedy picks.
@Suite("Huge pages and the greedy fast path")
struct HugePageTests {
    @Test("only private, writable, anonymous mappings are taken from /proc/self/maps")
    func parsesMaps() {
        #expect(
            HugePageAdvisor.anonymousMapping(in: "7f21ed000000-7f21ef000000 rw-p 00000000 00:00 0 \n")
                == 0x7f21_ed00_0000..<0x7f21_ef00_0000)
        #expect(HugePageAdvisor.anonymousMapping(in: "5599f6345000-5599f6355000 rw-p 00000000 00:00 0") != nil)
        let refused = [
            "7f21ed000000-7f21ef000000 r--p 00000000 00:00 0 \n",  // read-only
            "7f21ed000000-7f21ef000000 rw-s 00000000 00:05 12 /dev/zero (deleted)\n",  // shared
            "7f21ed000000-7f21ef000000 rw-p 00001000 fd:01 4242 /root/model.gguf\n",  // a file
            "7ffd1c9e5000-7ffd1ca06000 rw-p 00000000 00:00 0 [stack]\n",  // named
            "garbage\n", "",
        ]
        for line in refused {
            #expect(HugePageAdvisor.anonymousMapping(in: line) == nil, "\(line)")
        }
    }

    @Test("the mappings new since the snapshot are what is left after cutting out the old ones")
    func subtracts() {
        let old: [Range<UInt>] = [0x1000..<0x3000, 0x8000..<0x9000]
        let now: [Range<UInt>] = [0x1000..<0x5000, 0x6000..<0x7000, 0x7000..<0xA000]
        #expect(
            HugePageAdvisor.subtract(now, old) == [0x3000..<0x5000, 0x6000..<0x7000, 0x7000..<0x8000, 0x9000..<0xA000])
        #expect(HugePageAdvisor.subtract(old, old).isEmpty)
    }

    @Test("the greedy fast path takes the first of equal largest logits, as llama.cpp's greedy sampler does")
    func firstLargest() {
        func pick(_ values: [Float]) -> Int { values.withUnsafeBufferPointer(LlamaSampler.firstLargest) }
        #expect(pick([0.5, 2, 1, 2]) == 1)
        #expect(pick([-3, -1, -1]) == 1)
        #expect(pick([7]) == 0)
        #expect(pick([]) == 0)
        #expect(pick([.nan, 5]) == 0)  // llama.cpp compares against the selected logit, so NaN first stays
        #expect(pick([1, .nan, 5]) == 2)
        #expect(pick([-.infinity, -.infinity]) == 0)
    }

    /// The process's anonymous memory in huge pages, in bytes (`AnonHugePages` of `/proc/self/smaps_rollup`).
    static func anonymousHugeBytes() throws -> Int {
        let text = try String(contentsOfFile: "/proc/self/smaps_rollup", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("AnonHugePages:") })
        let kilobytes = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kilobytes * 1024
    }

    @Test("a model read into memory sits in huge pages (unless the system turned them off) and generates the same")
    func readModelUsesHugePages() throws {
        #if os(Linux)
            let setting = try String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
            let path = try Fixtures.smolLM2()
            let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            let before = try Self.anonymousHugeBytes()
            let model = try LlamaModel(path: path, options: .init(useMemoryMap: false))
            let gained = try Self.anonymousHugeBytes() - before
            if setting.contains("[never]") {
                #expect(gained == 0, "huge pages are off, yet \(gained) bytes are in them")
            } else {
                // The weights are nearly the whole file; allow for extents cut by the mapping's ends.
                #expect(gained >= fileSize / 2, "only \(gained) of \(fileSize) bytes are in huge pages")
            }
            let prompt = GreedyParityTests.prompt
            let read = try GreedyParityTests.ourContinuation(prompt: prompt, maxTokens: 24, model: model)
            #expect(read == (try GreedyParityTests.ourContinuation(prompt: prompt, maxTokens: 24)))
        #endif
    }
}
