import BotticelliCore
import Foundation
import Testing

/// Recommendations over a fixed list of models, so the expectations do not move when the registry grows.
@Suite("Recommendation and pre-flight check")
struct RecommendationTests {
    private static let gigabyte: UInt64 = 1 << 30

    private static func model(
        _ id: String, parameters: UInt64, quantization: Quantization, size: UInt64, layers: UInt64 = 32,
        kvHeads: UInt64 = 8
    ) -> ModelSpec {
        ModelSpec(
            id: id, family: "test", hfRepo: "org/\(id)", filename: "\(id)-\(quantization.name).gguf",
            quantization: quantization, downloadSizeBytes: size, minimumRAMBytes: size * 2, tokenizerRepo: "org/base",
            description: id, useCases: ["chat"], parameterCount: parameters, contextLength: 32768, license: "mit",
            attention: AttentionShape(layerCount: layers, keyValueHeadCount: kvHeads, headDimension: 128))
    }

    /// At 4096 tokens: KV cache 0.5 GiB for the 7-8B models; overhead 256 MiB + 10% of the file. The tiny model
    /// needs about 0.5 GB.
    private static let models: [ModelSpec] = [
        model("big-q8", parameters: 8_000_000_000, quantization: .q8_0, size: 8_540_000_000),  // ~10.2 GB
        model("big-q5", parameters: 8_000_000_000, quantization: .q5_K_M, size: 5_730_000_000),  // ~7.1 GB
        model("big-q4", parameters: 8_000_000_000, quantization: .q4_K_M, size: 4_920_000_000),  // ~6.2 GB
        model("mid-q8", parameters: 3_000_000_000, quantization: .q8_0, size: 3_420_000_000, layers: 28),  // ~4.5 GB
        model("mid-q4", parameters: 3_000_000_000, quantization: .q4_K_M, size: 2_020_000_000, layers: 28),  // ~3.0 GB
        model("small-q8", parameters: 1_000_000_000, quantization: .q8_0, size: 1_320_000_000, layers: 16),  // ~2.0 GB
        model("tiny-q4", parameters: 135_000_000, quantization: .q4_1, size: 98_000_000, layers: 30, kvHeads: 3),
    ]

    private static func machine(memory: UInt64, cgroup: UInt64? = nil) -> SystemResources {
        SystemResources(
            hostTotalMemoryBytes: memory * gigabyte, hostAvailableMemoryBytes: memory * gigabyte * 3 / 4,
            cgroupMemoryLimitBytes: cgroup.map { $0 * gigabyte }, cpuCoreCount: 8)
    }

    @Test(
        "picks the best model that fits with headroom",
        arguments: [
            (UInt64(4), UInt64?.none, UInt64(100), "mid-q4"),
            (8, nil, 100, "big-q4"),
            (16, nil, 100, "big-q8"),
            (32, nil, 100, "big-q8"),
            (64, nil, 100, "big-q8"),
            // A container limited below the host's memory is judged by its limit.
            (64, 8, 100, "big-q4"),
            (64, 4, 100, "mid-q4"),
            (4, 3, 100, "small-q8"),
            (32, 2, 100, "tiny-q4"),
            // Low disk: a larger model that would fit in memory does not fit on disk.
            (64, nil, 7, "big-q5"),
            (64, nil, 3, "mid-q4"),
            (64, nil, 2, "tiny-q4"),
        ])
    func picks(memory: UInt64, cgroup: UInt64?, disk: UInt64, expected: String) throws {
        let recommendation = Recommendation(
            models: Self.models, resources: Self.machine(memory: memory, cgroup: cgroup),
            freeDiskBytes: disk * Self.gigabyte)
        let pick = try #require(recommendation.pick)
        #expect(pick.model.id == expected)
        #expect(pick.overall == .yes)
        #expect(recommendation.passedOver.count == Self.models.count - 1)
        for passed in recommendation.passedOver {
            #expect(!passed.reason.isEmpty)
            // A model passed over while fitting must rank below the pick.
            if passed.fit.overall == .yes {
                #expect(passed.reason.contains("fits, but \(expected)"))
            }
        }
    }

    @Test("says why each model was passed over")
    func reasons() throws {
        let recommendation = Recommendation(
            models: Self.models, resources: Self.machine(memory: 64, cgroup: 8), freeDiskBytes: 6 * Self.gigabyte)
        let reasons = Dictionary(uniqueKeysWithValues: recommendation.passedOver.map { ($0.fit.model.id, $0.reason) })
        let bigQ8 = try #require(reasons["big-q8"])
        #expect(bigQ8.contains("needs 10.2 GB RAM"))
        #expect(bigQ8.contains("the machine has 8.6 GB (its cgroup limit; the host has 68.7 GB)"))
        #expect(bigQ8.contains("does not fit on disk: the download is 8.5 GB, 6.4 GB free"))
        #expect(try #require(reasons["big-q5"]).contains("the download of 5.7 GB would leave less than"))
        #expect(try #require(reasons["mid-q8"]).hasPrefix("fits, but big-q4"))
    }

    @Test("already downloaded models need no disk")
    func downloaded() throws {
        let recommendation = Recommendation(
            models: Self.models, resources: Self.machine(memory: 16), freeDiskBytes: 0, downloaded: ["big-q8"])
        #expect(recommendation.pick?.model.id == "big-q8")
    }

    @Test("offers a tight fit only when nothing fits well, and nothing when nothing fits")
    func tightAndNothing() throws {
        let tight = Recommendation(
            models: [Self.models[0]], resources: Self.machine(memory: 11), freeDiskBytes: nil)
        #expect(tight.pick?.overall == .tight)
        let none = Recommendation(models: [Self.models[0]], resources: Self.machine(memory: 4), freeDiskBytes: nil)
        #expect(none.pick == nil)
        #expect(none.passedOver.first?.fit.memory == ResourceFit.no)
    }

    @Test("a larger context needs more memory")
    func contextLength() {
        let spec = Self.models[2]
        let short = MemoryEstimate(spec: spec, contextLength: 2048)
        let long = MemoryEstimate(spec: spec, contextLength: 32768)
        #expect(long.keyValueCacheBytes == 16 * short.keyValueCacheBytes)
        #expect(short.keyValueCacheBytes == 2 * 32 * 2048 * 8 * 128 * 2)
        #expect(MemoryEstimate(spec: spec).contextLength == 4096)
        var unknown = spec
        unknown.attention = nil
        #expect(MemoryEstimate(spec: unknown).keyValueCacheBytes > MemoryEstimate(spec: spec).keyValueCacheBytes)
    }

    @Test("pre-flight refuses what does not fit, warns about tight fits, and lets --force through")
    func preflight() throws {
        let estimate = MemoryEstimate(spec: Self.models[0])  // ~10.2 GB
        let small = Self.machine(memory: 8)  // 6 GiB available
        let error = try #require(throws: PreflightError.self) {
            try PreflightCheck.check(
                modelName: "big-q8", estimate: estimate, downloadBytes: 8_540_000_000, resources: small,
                freeDiskBytes: 2 * Self.gigabyte)
        }
        #expect(error.failures.count == 2)
        #expect(error.description.contains("needs 10.2 GB of memory and 6.4 GB is available"))
        #expect(error.description.contains("--force"))

        let forced = try PreflightCheck.check(
            modelName: "big-q8", estimate: estimate, downloadBytes: 8_540_000_000, resources: small,
            freeDiskBytes: 2 * Self.gigabyte, force: true)
        #expect(forced.contains { $0.hasPrefix("forced:") })

        let roomy = try PreflightCheck.check(
            modelName: "big-q8", estimate: estimate, downloadBytes: 0, resources: Self.machine(memory: 64),
            freeDiskBytes: 0)
        #expect(roomy.isEmpty)

        let tight = try PreflightCheck.check(
            modelName: "big-q8", estimate: estimate, downloadBytes: 0, resources: Self.machine(memory: 15),
            freeDiskBytes: nil)
        #expect(tight.count == 1)
    }

    @Test("the built-in registry recommends something sensible on every machine size")
    func builtInRegistry() throws {
        let registry = try ModelRegistry.builtIn()
        var previous: UInt64 = 0
        for memory: UInt64 in [4, 8, 16, 32, 64] {
            let recommendation = Recommendation(
                models: registry.models, resources: Self.machine(memory: memory), freeDiskBytes: 500 * Self.gigabyte)
            let pick = try #require(recommendation.pick, "\(memory) GB")
            #expect(pick.overall == .yes)
            #expect(pick.estimate.totalBytes <= memory * Self.gigabyte)
            #expect(pick.model.parameterCount >= previous)
            previous = pick.model.parameterCount
        }
    }
}

@Suite struct ByteCountTests {
    @Test(
        "formats like model cards: GB with a decimal, MB, KB, bytes",
        arguments: [
            (UInt64(4_372_812_000), "4.4 GB"), (98_362_432, "98 MB"), (300_000, "300 KB"), (999, "999 B"), (0, "0 B"),
        ])
    func format(bytes: UInt64, text: String) {
        #expect(ByteCount.format(bytes) == text)
    }
}
