import ArgumentParser
import BotticelliLlama

/// Flags that size the engine to the machine, shared by `run` and `start`.
struct HardwareOptions: ParsableArguments {
    @Option(
        name: [.customLong("threads"), .customShort("t")], help: "CPU threads for generation (default: all cores).")
    var threads: Int?

    @Option(name: [.customLong("ctx-size"), .customShort("c")], help: "Context size in tokens (default 4096).")
    var contextSize: Int?

    // Unconditional parsing: `--gpu-layers -1` takes -1 as the value instead of reading it as an unknown flag.
    @Option(
        name: [.customLong("gpu-layers"), .customLong("n-gpu-layers"), .customLong("ngl", withSingleDash: true)],
        parsing: .unconditional,
        help: "Layers to offload to a GPU: a number, or all (also -1); needs a GPU build of llama.cpp.",
        transform: HardwareOptions.gpuLayers(from:))
    var gpuLayers: Int32 = 0

    @Flag(
        name: .customLong("mmap"), inversion: .prefixedNo,
        help: ArgumentHelp(
            "Map the model file (--mmap) or read it into memory (--no-mmap).",
            discussion: """
                Default on Linux with every layer on the CPU: read, into memory backed by 2 MiB pages, which decodes \
                faster than a mapping of 4 KiB pages. Otherwise, and with --force, map.
                """))
    var memoryMap: Bool?

    @Flag(name: .customLong("mlock"), help: "Lock the model in RAM so it is never swapped out.")
    var lockInMemory = false

    @Flag(help: "Load the model even when it does not fit this machine's memory (or download it when disk is short).")
    var force = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let contextSize, contextSize < 16 {
            throw ValidationError("--ctx-size must be at least 16, got \(contextSize)")
        }
    }

    /// `all` or -1 (every layer; llama.cpp reads any negative count so), or a count from 0.
    static func gpuLayers(from text: String) throws -> Int32 {
        if text.lowercased() == "all" { return -1 }
        guard let count = Int32(text), count >= -1 else {
            throw ValidationError("expected a number of layers from 0, or all (or -1) for every layer; got '\(text)'")
        }
        return count
    }

    var modelOptions: LlamaModel.Options {
        LlamaModel.Options(
            gpuLayers: gpuLayers, useMemoryMap: memoryMap ?? Self.mapsByDefault(gpuLayers: gpuLayers, force: force),
            lockInMemory: lockInMemory)
    }

    /// Whether the model file is mapped when neither --mmap nor --no-mmap is given. Reading into huge pages is
    /// faster for CPU decoding, and the pages are ours to advise only on Linux. Weights offloaded to a GPU live in
    /// its memory, so the host copy is only a stage and a mapping saves it. A model forced past the memory check
    /// may not fit in RAM at all; a mapping can still page it from disk, where a read copy would be killed.
    static func mapsByDefault(gpuLayers: Int32, force: Bool) -> Bool {
        #if os(Linux)
            return gpuLayers != 0 || force
        #else
            return true
        #endif
    }

    /// The context size when neither a flag nor the configuration sets one.
    static let defaultContextSize = 4096

    var effectiveContextSize: Int { contextSize ?? Self.defaultContextSize }

    func contextOptions(sequences: Int) -> LlamaContext.Options {
        LlamaContext.Options(
            contextSize: effectiveContextSize,
            batchSize: min(2048, effectiveContextSize),
            sequences: sequences,
            threads: threads ?? LlamaContext.defaultThreadCount)
    }
}
