import ArgumentParser
import Testing

@testable import BotticelliCommands

@Suite("hardware flags")
struct HardwareOptionsTests {
    @Test(
        "--gpu-layers takes -1, all or a count, under each of its names",
        arguments: [
            (["--gpu-layers", "-1"], -1), (["--gpu-layers", "all"], -1), (["--n-gpu-layers", "ALL"], -1),
            (["-ngl", "-1"], -1), (["-ngl", "99"], 99), (["--gpu-layers=-1"], -1), (["--gpu-layers", "0"], 0),
            ([], 0),
        ] as [([String], Int32)])
    func gpuLayers(arguments: [String], expected: Int32) throws {
        let options = try HardwareOptions.parse(arguments)
        #expect(options.gpuLayers == expected)
        #expect(options.modelOptions.gpuLayers == expected)
    }

    @Test("a count below -1 or a word other than all is refused with what to write instead")
    func badGPULayers() {
        for value in ["-2", "many", "1.5", ""] {
            do {
                _ = try HardwareOptions.parse(["--gpu-layers", value])
                Issue.record("--gpu-layers \(value) was accepted")
            } catch {
                let message = HardwareOptions.message(for: error)
                #expect(message.contains("all (or -1)"), "\(value): \(message)")
            }
        }
    }

    @Test("-1 after --gpu-layers is its value, so the flags after it still parse")
    func valueThatLooksLikeAFlag() throws {
        let options = try HardwareOptions.parse(["--gpu-layers", "-1", "--threads", "3", "--no-mmap"])
        #expect(options.gpuLayers == -1)
        #expect(options.threads == 3)
        #expect(options.modelOptions.useMemoryMap == false)
    }

    @Test("the model file is read into huge pages on Linux with every layer on the CPU, else mapped; flags win")
    func memoryMapDefault() throws {
        #if os(Linux)
            #expect(try HardwareOptions.parse([]).modelOptions.useMemoryMap == false)
        #else
            #expect(try HardwareOptions.parse([]).modelOptions.useMemoryMap == true)
        #endif
        #expect(try HardwareOptions.parse(["--gpu-layers", "all"]).modelOptions.useMemoryMap == true)
        #expect(try HardwareOptions.parse(["--force"]).modelOptions.useMemoryMap == true)
        #expect(try HardwareOptions.parse(["--mmap"]).modelOptions.useMemoryMap == true)
        #expect(try HardwareOptions.parse(["--no-mmap", "--gpu-layers", "3"]).modelOptions.useMemoryMap == false)
        #expect(try HardwareOptions.parse(["--no-mmap", "--force"]).modelOptions.useMemoryMap == false)
        // Both given, as when a script adds one to a command line that has the other: the last one wins.
        #expect(try HardwareOptions.parse(["--mmap", "--no-mmap"]).modelOptions.useMemoryMap == false)
        #expect(try HardwareOptions.parse(["--no-mmap", "--mmap"]).modelOptions.useMemoryMap == true)
    }
}
