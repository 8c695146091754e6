import BotticelliCore
import BotticelliTestSupport
import Foundation
import Testing

/// The real SmolLM2-135M-Instruct Q4_1 file; `scripts/fetch-fixture` downloads it. Missing means failing.
@Suite("GGUF reader: the fixture model")
struct GGUFFixtureTests {
    @Test("reads SmolLM2-135M's header correctly and quickly")
    func smolLM2() throws {
        let path = try Fixtures.smolLM2()
        let clock = ContinuousClock()
        let start = clock.now
        let file = try GGUFReader.read(path: path)
        let elapsed = clock.now - start

        #expect(file.fileSize == 98_362_432)
        #expect(file.version == 3)
        #expect(file.architecture == "llama")
        #expect(file.contextLength == 8192)
        #expect(file.blockCount == 30)
        #expect(file.embeddingLength == 576)
        #expect(file.headCount == 9)
        #expect(file.keyValueHeadCount == 3)
        #expect(file.keyLength == 64)
        #expect(file.fileType?.name == "Q4_1")
        #expect(file.quantization == .q4_1)
        #expect(file.vocabularySize == 49152)
        #expect(file.beginningOfSequenceToken == "<|im_start|>")
        #expect(file.endOfSequenceToken == "<|im_end|>")
        #expect(file.tokenizerModel == "gpt2")
        #expect(file.beginningOfSequenceTokenID != nil)
        #expect(file.endOfSequenceTokenID != nil)
        let template = try #require(file.chatTemplate)
        #expect(template.contains("im_start"))
        // SmolLM2-135M has about 134.5 million parameters.
        #expect((130_000_000...140_000_000).contains(file.parameterCount))
        // Every tensor's data ends inside the file, and the last one ends near its end.
        let ends = file.tensors.compactMap { tensor in tensor.byteCount.map { file.dataOffset + tensor.offset + $0 } }
        #expect(ends.count == file.tensors.count)
        #expect(file.fileSize - (ends.max() ?? 0) < file.alignment)
        // The whole point of a header reader: no tensor data is read, so this takes milliseconds, not seconds.
        #expect(elapsed < .seconds(2))
        print("GGUF header of \(path): \(file.tensors.count) tensors, \(file.metadata.count) keys, read in \(elapsed)")
    }
}
