import BotticelliTestSupport
import CLlama
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
        #expect(pick([-0.0, 0.0]) == 0)
    }

    /// llama.cpp's greedy rule written out one value at a time, to hold the eight-lane version to.
    static func referencePick(_ values: [Float]) -> Int {
        var best = 0
        for index in values.indices.dropFirst() where values[index] > values[best] { best = index }
        return best
    }

    @Test("the eight-lane search picks what the one-at-a-time rule picks, at every length and position")
    func firstLargestMatchesTheRule() {
        var generator = SystemRandomNumberGenerator()
        let specials: [Float] = [.nan, .infinity, -.infinity, 0.0, -0.0, 3, 3]
        for count in [1, 7, 8, 9, 15, 16, 17, 49_152, 49_155] {
            for _ in 0..<20 {
                // Few distinct values, so ties are common; a few specials dropped in at random places.
                var values = (0..<count).map { _ in Float(Int.random(in: -4...4, using: &generator)) }
                for special in specials where Bool.random(using: &generator) {
                    values[Int.random(in: 0..<count, using: &generator)] = special
                }
                let picked = values.withUnsafeBufferPointer(LlamaSampler.firstLargest)
                #expect(picked == Self.referencePick(values), "\(count) values")
            }
        }
    }

    @Test("the greedy fast path adds the logit biases, bans a token with negative infinity, and restores the logits")
    func firstLargestWithBiases() {
        var values: [Float] = [1, 5, 2, 5, 0, 4]
        let original = values
        func pick(_ biases: [(token: Int, bias: Float)]) -> Int {
            values.withUnsafeMutableBufferPointer { LlamaSampler.firstLargest($0, biases: biases) }
        }
        #expect(pick([]) == 1)
        #expect(pick([(token: 1, bias: -.infinity)]) == 3)
        #expect(pick([(token: 1, bias: -.infinity), (token: 3, bias: -.infinity)]) == 5)
        #expect(pick([(token: 4, bias: 5)]) == 1)  // 0 + 5 ties with the first 5, which stays
        #expect(pick([(token: 4, bias: 5.5)]) == 4)
        #expect(values == original)
    }

    /// Each mapping of this process with the bytes of it in huge pages (`AnonHugePages` in `/proc/self/smaps`).
    static func mappingsWithHugeBytes() throws -> [(range: Range<UInt>, hugeBytes: Int)] {
        var mappings: [(range: Range<UInt>, hugeBytes: Int)] = []
        // Read to the end: a /proc file reports size 0, and String(contentsOfFile:) stops after its first page.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? file.close() }
        let text = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.first == "AnonHugePages:", fields.count >= 2, let kilobytes = Int(fields[1]), !mappings.isEmpty {
                mappings[mappings.count - 1].hugeBytes = kilobytes * 1024
            } else if let bounds = fields.first?.split(separator: "-"), bounds.count == 2,
                let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), start < end
            {
                mappings.append((start..<end, 0))
            }
        }
        return mappings
    }

    @Test("a context's KV cache sits in huge pages from its creation (unless the system turned them off)")
    func contextUsesHugePages() throws {
        #if os(Linux)
            let setting = try String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
            let model = try SharedModel.smolLM2()
            // The KV cache: keys and values of every layer for every cell, in 16-bit floats. An unusual size, so
            // its mapping is told apart from those of contexts other tests create meanwhile.
            let handle = model.handle
            let valuesPerCell = Int(
                llama_model_n_embd(handle) / llama_model_n_head(handle) * llama_model_n_head_kv(handle))
            let contextSize = 8448
            let cacheBytes = Int(llama_model_n_layer(handle)) * contextSize * valuesPerCell * 2 * 2
            /// The huge-page bytes of each mapping new since `before` the size of the cache (with room for the
            /// allocator's header and alignment). Without the advice the kernel merges the cache's mapping with its
            /// neighbours, and none is found; the advisors of models loaded meanwhile by other tests may advise it
            /// too, so a context made without advice cannot serve as a control here.
            func cacheMappings(hugePages: Bool) throws -> [Int] {
                let before = Set(try Self.mappingsWithHugeBytes().map(\.range))
                let context = try LlamaContext(
                    model: model, options: .init(contextSize: contextSize, threads: 2, hugePages: hugePages))
                let after = try withExtendedLifetime(context) { try Self.mappingsWithHugeBytes() }
                let sizes = cacheBytes...cacheBytes + 8 << 20
                return after.filter { !before.contains($0.range) && sizes.contains($0.range.count) }.map(\.hugeBytes)
            }
            let advised = try cacheMappings(hugePages: true)
            #expect(!advised.isEmpty, "no new mapping the size of the \(cacheBytes)-byte cache")
            for huge in advised {
                if setting.contains("[never]") {
                    #expect(huge == 0, "huge pages are off, yet \(huge) bytes are in them")
                } else {
                    #expect(
                        huge >= cacheBytes * 3 / 4,
                        "only \(huge) bytes of the \(cacheBytes)-byte cache are in huge pages")
                }
            }
        #endif
    }

    @Test("on the model's logits, the fast path with logit biases picks what llama.cpp's own sampler chain picks")
    func biasedFastPathMatchesTheChain() throws {
        let model = try SharedModel.smolLM2()
        let context = try LlamaContext(model: model, options: .init(contextSize: 512, threads: 2))
        let batch = LlamaBatch(capacity: 64)
        for (position, token) in try model.tokenize(GreedyParityTests.prompt).enumerated() {
            _ = batch.add(token, position: Int32(position), sequence: 0, wantsOutput: false)
        }
        let output = batch.requestOutputForLastToken()
        try context.decode(batch)
        let logits = try #require(context.logits(at: output))
        let ranked = logits.indices.sorted { logits[$0] > logits[$1] }
        let plain = Array(logits)
        let biasSets: [[LlamaToken: Float]] = [
            [:],
            [LlamaToken(ranked[0]): -.infinity],
            [LlamaToken(ranked[0]): -.infinity, LlamaToken(ranked[1]): -.infinity, LlamaToken(ranked[2]): -2],
            [LlamaToken(ranked[500]): 40, LlamaToken(ranked[0]): -0.5],
            [LlamaToken(model.vocabularySize - 1): 1000],
        ]
        for biases in biasSets {
            var options = LlamaSampler.Options.greedy
            options.logitBias = biases
            let sampler = try LlamaSampler(model: model, options: options)
            #expect(sampler.plainGreedy)
            let fast = sampler.sample(context, outputIndex: output)
            #expect(Array(try #require(context.logits(at: output))) == plain, "the fast path left the logits changed")
            #expect(fast == llama_sampler_sample(sampler.handle, context.handle, output), "biases \(biases)")
        }
    }

    @Test("a model read into memory sits in huge pages (unless the system turned them off) and generates the same")
    func readModelUsesHugePages() throws {
        #if os(Linux)
            let setting = try String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
            let path = try Fixtures.smolLM2()
            let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            // Counted in the mappings the load adds, not for the whole process: tests running meanwhile free
            // contexts whose KV caches sit in huge pages too.
            let before = Set(try Self.mappingsWithHugeBytes().map(\.range))
            let model = try LlamaModel(path: path, options: .init(useMemoryMap: false))
            let gained = try Self.mappingsWithHugeBytes().filter { !before.contains($0.range) }.reduce(0) {
                $0 + $1.hugeBytes
            }
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
