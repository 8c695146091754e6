import BotticelliCore
import Foundation

extension GGUFWriter {
    /// One metadata entry of every value type, including nested and empty arrays.
    public static let everyValueType: [GGUFMetadataEntry] = [
        GGUFMetadataEntry(key: "test.uint8", value: .uint8(200)),
        GGUFMetadataEntry(key: "test.int8", value: .int8(-100)),
        GGUFMetadataEntry(key: "test.uint16", value: .uint16(60_000)),
        GGUFMetadataEntry(key: "test.int16", value: .int16(-30_000)),
        GGUFMetadataEntry(key: "test.uint32", value: .uint32(4_000_000_000)),
        GGUFMetadataEntry(key: "test.int32", value: .int32(-2_000_000_000)),
        GGUFMetadataEntry(key: "test.float32", value: .float32(0.5)),
        GGUFMetadataEntry(key: "test.bool", value: .bool(true)),
        GGUFMetadataEntry(key: "test.string", value: .string("héllo, 世界")),
        GGUFMetadataEntry(key: "test.uint64", value: .uint64(UInt64.max)),
        GGUFMetadataEntry(key: "test.int64", value: .int64(Int64.min)),
        GGUFMetadataEntry(key: "test.float64", value: .float64(-1.25e300)),
        GGUFMetadataEntry(
            key: "test.array.int32",
            value: .array(GGUFArray(elementType: .int32, values: [.int32(1), .int32(-2), .int32(3)]))),
        GGUFMetadataEntry(
            key: "test.array.string",
            value: .array(GGUFArray(elementType: .string, values: [.string("a"), .string(""), .string("ccc")]))),
        GGUFMetadataEntry(key: "test.array.empty", value: .array(GGUFArray(elementType: .float64, values: []))),
        GGUFMetadataEntry(
            key: "test.array.nested",
            value: .array(
                GGUFArray(
                    elementType: .array,
                    values: [
                        .array(GGUFArray(elementType: .uint8, values: [.uint8(1), .uint8(2)])),
                        .array(GGUFArray(elementType: .bool, values: [.bool(false)])),
                    ]))),
    ]

    /// A tiny llama-shaped model: the hyperparameter keys Botticelli reads, every value type, and three tensors
    /// (F32, Q4_0 and Q8_0).
    public static func sampleModel(version: UInt32 = 3) -> GGUFWriter {
        var writer = GGUFWriter(version: version)
        writer.set("general.architecture", .string("llama"))
        writer.set("general.name", .string("Sample Model"))
        writer.set("general.file_type", .uint32(2))
        writer.set("general.alignment", .uint32(32))
        writer.set("llama.context_length", .uint32(2048))
        writer.set("llama.embedding_length", .uint32(64))
        writer.set("llama.block_count", .uint32(2))
        writer.set("llama.attention.head_count", .uint32(4))
        writer.set("llama.attention.head_count_kv", .uint32(2))
        writer.set("tokenizer.ggml.model", .string("gpt2"))
        writer.set(
            "tokenizer.ggml.tokens",
            .array(GGUFArray(elementType: .string, values: [.string("<unk>"), .string("<s>"), .string("</s>")])))
        writer.set("tokenizer.ggml.bos_token_id", .uint32(1))
        writer.set("tokenizer.ggml.eos_token_id", .uint32(2))
        writer.set("tokenizer.chat_template", .string("{% for m in messages %}{{ m.content }}{% endfor %}"))
        writer.metadata += everyValueType
        writer.tensors = [
            Tensor(name: "token_embd.weight", dimensions: [64, 8], type: .q8_0),
            Tensor(name: "blk.0.attn_q.weight", dimensions: [64, 64], type: .q4_0),
            Tensor(name: "output_norm.weight", dimensions: [64], type: .f32),
        ]
        return writer
    }
}
