import ArgumentParser
import BotticelliLlama

/// Flags that size the engine to the machine, shared by `run` and `start`.
struct HardwareOptions: ParsableArguments {
    @Option(
        name: [.customLong("threads"), .customShort("t")], help: "CPU threads for generation (default: all cores).")
    var threads: Int?

    @Option(name: [.customLong("ctx-size"), .customShort("c")], help: "Context size in tokens.")
    var contextSize: Int = 4096

    @Option(
        name: [.customLong("gpu-layers"), .customLong("n-gpu-layers"), .customLong("ngl", withSingleDash: true)],
        help: "Layers to offload to a GPU (-1: all; needs a GPU build of llama.cpp).")
    var gpuLayers: Int32 = 0

    @Flag(name: .customLong("no-mmap"), help: "Read the model into memory instead of mapping it.")
    var noMemoryMap = false

    @Flag(name: .customLong("mlock"), help: "Lock the model in RAM so it is never swapped out.")
    var lockInMemory = false

    @Flag(help: "Load the model even when it does not fit this machine's memory (or download it when disk is short).")
    var force = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard contextSize >= 16 else { throw ValidationError("--ctx-size must be at least 16, got \(contextSize)") }
    }

    var modelOptions: LlamaModel.Options {
        LlamaModel.Options(gpuLayers: gpuLayers, useMemoryMap: !noMemoryMap, lockInMemory: lockInMemory)
    }

    func contextOptions(sequences: Int) -> LlamaContext.Options {
        LlamaContext.Options(
            contextSize: contextSize,
            batchSize: min(2048, contextSize),
            sequences: sequences,
            threads: threads ?? LlamaContext.defaultThreadCount)
    }
}
