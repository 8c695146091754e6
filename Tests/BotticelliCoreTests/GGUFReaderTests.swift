import BotticelliCore
import BotticelliTestSupport
import Foundation
import Testing

@Suite("GGUF reader: valid files")
struct GGUFReaderTests {
    @Test("reads every value type, in version 2 and 3", arguments: [UInt32(2), 3])
    func everyValueType(version: UInt32) throws {
        let writer = GGUFWriter.sampleModel(version: version)
        let file = try GGUFReader.read(data: writer.build())

        #expect(file.version == version)
        #expect(file.metadata == writer.metadata)
        for entry in GGUFWriter.everyValueType {
            #expect(file[entry.key] == entry.value, "\(entry.key)")
        }
        let nested = try #require(file["test.array.nested"]?.arrayValue)
        #expect(nested.elementType == .array)
        #expect(nested.values.count == 2)
        #expect(file["missing.key"] == nil)
    }

    @Test("reads tensor descriptions and places the data section on the alignment")
    func tensors() throws {
        let writer = GGUFWriter.sampleModel()
        let data = writer.build()
        let file = try GGUFReader.read(data: data)

        #expect(file.tensors.map(\.name) == ["token_embd.weight", "blk.0.attn_q.weight", "output_norm.weight"])
        #expect(file.tensors.map(\.dimensions) == [[64, 8], [64, 64], [64]])
        #expect(file.tensors.map(\.type) == [.q8_0, .q4_0, .f32])
        #expect(file.tensors.map(\.offset) == writer.tensorOffsets)
        // Q8_0: 512 elements in blocks of 32 at 34 bytes; Q4_0: 4096 in blocks of 32 at 18; F32: 64 at 4.
        #expect(file.tensors.map(\.byteCount) == [544, 2304, 256])
        #expect(file.alignment == 32)
        #expect(file.dataOffset % 32 == 0)
        #expect(file.fileSize == UInt64(data.count))
        #expect(file.dataOffset + 544 + 2304 + 256 == file.fileSize)
    }

    @Test("exposes the model's hyperparameters")
    func modelFacts() throws {
        let file = try GGUFReader.read(data: GGUFWriter.sampleModel().build())

        #expect(file.architecture == "llama")
        #expect(file.modelName == "Sample Model")
        #expect(file.contextLength == 2048)
        #expect(file.embeddingLength == 64)
        #expect(file.blockCount == 2)
        #expect(file.headCount == 4)
        #expect(file.keyValueHeadCount == 2)
        #expect(file.keyLength == 16)
        #expect(file.fileType == GGUFFileType(rawValue: 2))
        #expect(file.fileType?.name == "Q4_0")
        #expect(file.parameterCount == 512 + 4096 + 64)
        #expect(file.chatTemplate?.contains("messages") == true)
        #expect(file.tokenizerModel == "gpt2")
        #expect(file.beginningOfSequenceTokenID == 1)
        #expect(file.endOfSequenceTokenID == 2)
        #expect(file.quantization == .q4_0)
        #expect(file.vocabularySize == 3)
        #expect(file.beginningOfSequenceToken == "<s>")
        #expect(file.endOfSequenceToken == "</s>")
        #expect(file.tokenText(3) == nil)
        // 2 (keys and values) * 2 layers * 100 tokens * 2 kv heads * 16 * 2 bytes.
        #expect(file.keyValueCacheBytes(contextLength: 100) == 2 * 2 * 100 * 2 * 16 * 2)
    }

    @Test("a file without tensors or alignment key uses the default alignment")
    func emptyFile() throws {
        let file = try GGUFReader.read(data: GGUFWriter().build())
        #expect(file.metadata.isEmpty)
        #expect(file.tensors.isEmpty)
        #expect(file.alignment == 32)
        #expect(file.architecture == nil)
        #expect(file.contextLength == nil)
        #expect(file.keyValueCacheBytes(contextLength: 10) == nil)
    }

    @Test("honours a custom general.alignment")
    func customAlignment() throws {
        var writer = GGUFWriter.sampleModel()
        writer.metadata.removeAll { $0.key == "general.alignment" }
        writer.set("general.alignment", .uint32(64))
        let file = try GGUFReader.read(data: writer.build())
        #expect(file.alignment == 64)
        #expect(file.dataOffset % 64 == 0)
        #expect(file.tensors[1].offset == 576)
    }

    @Test("reads from a file on disk, and names the path when it cannot")
    func readsFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try GGUFWriter.sampleModel().build().write(to: url)

        let file = try GGUFReader.read(url: url)
        #expect(file.architecture == "llama")

        let missing = url.path + ".missing"
        let error = try #require(throws: GGUFError.self) { try GGUFReader.read(path: missing) }
        #expect(error.kind == .unreadable)
        #expect(error.path == missing)
        #expect(error.description.contains(missing))
    }
}
