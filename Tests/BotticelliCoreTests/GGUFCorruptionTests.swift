import BotticelliCore
import BotticelliTestSupport
import Foundation
import Testing

/// Each damaged file must be rejected with its own error kind, at the right byte, without crashing.
@Suite("GGUF reader: damaged files")
struct GGUFCorruptionTests {
    /// Magic, version 3 and the two counts: what every hand-made file below starts with.
    private func header(tensors: UInt64 = 0, metadata: UInt64 = 1) -> GGUFByteWriter {
        var writer = GGUFByteWriter()
        writer.appendRaw(Array("GGUF".utf8))
        writer.append(UInt32(3))
        writer.append(tensors)
        writer.append(metadata)
        return writer
    }

    private func readError(_ data: Data) throws -> GGUFError {
        try #require(throws: GGUFError.self) { try GGUFReader.read(data: data) }
    }

    @Test("bad magic")
    func badMagic() throws {
        var bytes = [UInt8](GGUFWriter.sampleModel().build())
        bytes[0] = UInt8(ascii: "X")
        let error = try readError(Data(bytes))
        #expect(error.kind == .badMagic)
        #expect(error.offset == 0)
        #expect(error.description.contains("not a GGUF model"))
    }

    @Test("empty file and truncated header")
    func truncatedHeader() throws {
        #expect(try readError(Data()).kind == .truncated)
        let full = [UInt8](GGUFWriter.sampleModel().build())
        // Cut inside the value of "test.string", a few bytes into its text.
        let text = Array("héllo".utf8)
        let start = try #require(
            (0...(full.count - text.count)).first { Array(full[$0..<$0 + text.count]) == text })
        let error = try readError(Data(full.prefix(start + 3)))
        #expect(error.kind == .truncated)
        #expect(error.offset == UInt64(start))
        #expect(error.field.contains("test.string"))
        #expect(error.description.contains("download it again"))
    }

    @Test("every truncation of a valid file is rejected")
    func everyTruncation() throws {
        let full = GGUFWriter.sampleModel().build()
        let file = try GGUFReader.read(data: full)
        // Any cut before the end of the last tensor's data loses something the header promises.
        for length in stride(from: 0, to: full.count, by: 7) where UInt64(length) < file.fileSize {
            let error = try readError(full.prefix(length))
            let kinds: [GGUFError.Kind] = [.truncated, .countTooLarge, .arrayTooLong, .tensorOutOfBounds]
            #expect(kinds.contains(error.kind), "cut at \(length)")
        }
    }

    @Test("unsupported and big-endian versions")
    func versions() throws {
        var writer = GGUFWriter.sampleModel()
        writer.version = 1
        let old = try readError(writer.build())
        #expect(old.kind == .unsupportedVersion)
        #expect(old.offset == 4)
        writer.version = UInt32(3).byteSwapped
        #expect(try readError(writer.build()).kind == .bigEndian)
    }

    @Test("huge string length")
    func hugeString() throws {
        var writer = header()
        writer.append(UInt64(1) << 40)
        writer.appendRaw(Array("general.name".utf8))
        let error = try readError(writer.data)
        #expect(error.kind == .stringTooLong)
        #expect(error.offset == 24)
        #expect(error.found == "\(UInt64(1) << 40) bytes")
    }

    @Test("metadata count beyond the file")
    func hugeCount() throws {
        let error = try readError(header(metadata: .max).data)
        #expect(error.kind == .countTooLarge)
        #expect(error.offset == 16)
    }

    @Test("array count beyond the file")
    func hugeArray() throws {
        var writer = header()
        writer.append(string: "tokenizer.ggml.tokens")
        writer.append(GGUFValueType.array.rawValue)
        writer.append(GGUFValueType.uint32.rawValue)
        let countOffset = UInt64(writer.bytes.count)
        writer.append(UInt64(1_000_000))
        writer.append(UInt32(7))
        let error = try readError(writer.data)
        #expect(error.kind == .arrayTooLong)
        #expect(error.offset == countOffset)
    }

    @Test("unknown value type")
    func unknownType() throws {
        var writer = header()
        writer.append(string: "key")
        writer.append(UInt32(13))
        writer.append(UInt64(0))
        let error = try readError(writer.data)
        #expect(error.kind == .unknownValueType)
        #expect(error.offset == 24 + 8 + 3)
    }

    @Test("arrays nested too deep")
    func deepNesting() throws {
        var writer = header()
        writer.append(string: "key")
        writer.append(GGUFValueType.array.rawValue)
        for _ in 0..<10_000 {
            writer.append(GGUFValueType.array.rawValue)
            writer.append(UInt64(1))
        }
        writer.append(GGUFValueType.uint8.rawValue)
        writer.append(UInt64(0))
        #expect(try readError(writer.data).kind == .nestingTooDeep)
    }

    @Test("duplicate key")
    func duplicateKey() throws {
        var writer = GGUFWriter.sampleModel()
        writer.set("general.name", .string("again"))
        #expect(try readError(writer.build()).kind == .duplicateKey)
    }

    @Test("alignment that is not a power of two", arguments: [GGUFValue.uint32(0), .uint32(48), .uint64(32)])
    func badAlignment(value: GGUFValue) throws {
        var writer = GGUFWriter.sampleModel()
        writer.metadata.removeAll { $0.key == "general.alignment" }
        writer.set("general.alignment", value)
        #expect(try readError(writer.build()).kind == .invalidAlignment)
    }

    @Test("tensor offset past the end")
    func tensorPastEnd() throws {
        var writer = GGUFWriter.sampleModel()
        writer.tensors[2].offsetOverride = 1 << 20
        let error = try readError(writer.build())
        #expect(error.kind == .tensorOutOfBounds)
        #expect(error.field.contains("output_norm.weight"))
    }

    @Test("tensor data cut short")
    func tensorDataCut() throws {
        var writer = GGUFWriter.sampleModel()
        writer.truncateBy = 1
        #expect(try readError(writer.build()).kind == .tensorOutOfBounds)
    }

    @Test("misaligned tensor data")
    func misaligned() throws {
        var writer = GGUFWriter.sampleModel()
        writer.tensors[1].offsetOverride = 7
        let error = try readError(writer.build())
        #expect(error.kind == .misalignedTensorOffset)
        #expect(error.found == "7")
    }

    @Test("tensor shapes that ggml cannot hold")
    func badShapes() throws {
        var tooManyDimensions = GGUFWriter.sampleModel()
        tooManyDimensions.tensors[2].dimensions = [1, 1, 1, 1, 64]
        #expect(try readError(tooManyDimensions.build()).kind == .invalidTensorShape)

        var overflowing = GGUFWriter.sampleModel()
        overflowing.tensors = [GGUFWriter.Tensor(name: "x", dimensions: [64], type: .f32)]
        var bytes = [UInt8](overflowing.build())
        // Rewrite the dimension (after "x": 8 + 1 bytes of name, then 4 of count) to 2^63.
        let dimensionOffset = try #require(findTensorDimension(in: bytes))
        for index in 0..<8 { bytes[dimensionOffset + index] = index == 7 ? 0x80 : 0 }
        #expect(try readError(Data(bytes)).kind == .invalidTensorShape)

        var partialBlock = GGUFWriter.sampleModel()
        partialBlock.tensors[1].dimensions = [33, 2]
        #expect(try readError(partialBlock.build()).kind == .invalidTensorShape)
    }

    @Test("duplicate tensor name")
    func duplicateTensor() throws {
        var writer = GGUFWriter.sampleModel()
        writer.tensors[1].name = writer.tensors[0].name
        #expect(try readError(writer.build()).kind == .duplicateTensorName)
    }

    @Test("a tensor of a type unknown to the reader is accepted when its offset lies in the file")
    func unknownTensorType() throws {
        var writer = GGUFWriter.sampleModel()
        writer.tensors[2].type = GGMLType(rawValue: 99)
        let file = try GGUFReader.read(data: writer.build())
        #expect(file.tensors[2].byteCount == nil)
        writer.tensors[2].offsetOverride = 1 << 30
        #expect(try readError(writer.build()).kind == .tensorOutOfBounds)
    }

    /// The byte index of the first dimension of the single tensor named "x".
    private func findTensorDimension(in bytes: [UInt8]) -> Int? {
        let pattern: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0, UInt8(ascii: "x"), 1, 0, 0, 0]
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where Array(bytes[start..<start + pattern.count]) == pattern {
            return start + pattern.count
        }
        return nil
    }
}
