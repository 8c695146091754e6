import BotticelliCore
import BotticelliTestSupport
import Foundation
import Testing

/// The fuzzer's seed corpus (fuzz/gguf/corpus) is made by the test writer; this keeps it readable and current.
/// `BOTTICELLI_WRITE_FUZZ_CORPUS=1 swift test --filter GGUFFuzzCorpusTests` rewrites it.
@Suite("GGUF fuzz corpus")
struct GGUFFuzzCorpusTests {
    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz/gguf/corpus")

    private static var seeds: [String: Data] {
        var minimal = GGUFWriter()
        minimal.set("general.architecture", .string("llama"))
        minimal.set("llama.context_length", .uint32(8))
        var oneTensor = GGUFWriter(version: 2)
        oneTensor.set("general.alignment", .uint32(16))
        oneTensor.tensors = [GGUFWriter.Tensor(name: "w", dimensions: [32, 2], type: .q4_0)]
        return [
            "sample-v3.seed": GGUFWriter.sampleModel(version: 3).build(),
            "sample-v2.seed": GGUFWriter.sampleModel(version: 2).build(),
            "minimal.seed": minimal.build(),
            "one-tensor-v2.seed": oneTensor.build(),
        ]
    }

    @Test("every seed is a valid GGUF file made by the current writer")
    func seedsAreCurrent() throws {
        if ProcessInfo.processInfo.environment["BOTTICELLI_WRITE_FUZZ_CORPUS"] == "1" {
            try FileManager.default.createDirectory(at: Self.corpus, withIntermediateDirectories: true)
            for (name, data) in Self.seeds {
                try data.write(to: Self.corpus.appendingPathComponent(name))
            }
        }
        for (name, expected) in Self.seeds {
            let stored = try Data(contentsOf: Self.corpus.appendingPathComponent(name))
            #expect(stored == expected, "\(name) is stale: rewrite the corpus")
            _ = try GGUFReader.read(data: stored)
        }
    }
}
